// Audit entry (domain row) → wire shape of GET /v2/audit-log.
import type { z } from 'zod';
import type { auditEntryResponseSchema } from './schema';

type Row = {
  id: string;
  at: Date;
  actorKind: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetKind: string;
  targetId: string;
  targetLabel: string | null;
  identityId: string | null;
  before: unknown;
  after: unknown;
};

const snapshot = (value: unknown) => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null);

export function serializeAuditEntry(row: Row): z.input<typeof auditEntryResponseSchema> {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: { kind: row.actorKind, id: row.actorId, label: row.actorLabel },
    action: row.action,
    target: { kind: row.targetKind, id: row.targetId, label: row.targetLabel },
    identity_id: row.identityId,
    before: snapshot(row.before),
    after: snapshot(row.after),
  };
}
