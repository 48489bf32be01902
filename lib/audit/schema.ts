// zod schema of the audit log's list query (GET /v2/audit-log); the Studio's /audit page maps its URL to the same filter.
import { z } from 'zod';
import { cursorParams, oneCursorOnly, oneCursorOnlyIssue, pageLimit } from '../api/query';

export const AUDIT_TARGET_KINDS = ['identity', 'budget', 'provider', 'api_key', 'user', 'invite', 'notifier', 'price', 'deployment', 'settings'] as const;
export const AUDIT_ACTOR_KINDS = ['user', 'api_key', 'system'] as const;

/** "2026-03-01" (that whole UTC day) or a full ISO 8601 time. */
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const when = z
  .string()
  .trim()
  .refine((v) => !Number.isNaN(new Date(v).getTime()), 'must be a date (2026-03-01) or an ISO 8601 time')
  .optional();

export const listAuditQuerySchema = z
  .object({
    limit: pageLimit(100, 20),
    ...cursorParams,
    target_kind: z.enum(AUDIT_TARGET_KINDS, { error: `must be one of ${AUDIT_TARGET_KINDS.join(', ')}` }).optional(),
    target_id: z.string().trim().min(1, 'cannot be empty').max(200).optional(),
    action: z.string().trim().regex(/^[a-z_]+\.[a-z_]+$/, 'must look like identity.update').optional(),
    actor_kind: z.enum(AUDIT_ACTOR_KINDS, { error: `must be one of ${AUDIT_ACTOR_KINDS.join(', ')}` }).optional(),
    actor_id: z.string().trim().min(1, 'cannot be empty').max(200).optional(),
    identity_id: z.string().trim().min(1, 'cannot be empty').max(200).optional(),
    from: when.meta({ description: 'Entries at or after this time; a date means from the start of that UTC day' }),
    to: when.meta({ description: 'Entries before this time; a date means up to the end of that UTC day' }),
  })
  .refine(oneCursorOnly, oneCursorOnlyIssue);
export type ListAuditQuery = z.output<typeof listAuditQuerySchema>;

export type AuditFilter = {
  targetKind?: string;
  targetId?: string;
  action?: string;
  actorKind?: string;
  actorId?: string;
  identityId?: string;
  from?: Date;
  /** Exclusive. */
  to?: Date;
};

/** A `from` bound: a date starts at 00:00 UTC. */
export const fromBound = (value: string | undefined): Date | undefined => (value ? new Date(DAY.test(value) ? `${value}T00:00:00Z` : value) : undefined);

/** A `to` bound, exclusive: a date includes its whole UTC day. */
export function toBound(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  if (!DAY.test(value)) return new Date(value);
  const day = new Date(`${value}T00:00:00Z`);
  return new Date(day.getTime() + 86_400_000);
}

export const auditFilterOf = (q: ListAuditQuery): AuditFilter => ({
  targetKind: q.target_kind,
  targetId: q.target_id,
  action: q.action,
  actorKind: q.actor_kind,
  actorId: q.actor_id,
  identityId: q.identity_id,
  from: fromBound(q.from),
  to: toBound(q.to),
});

/** Shape of an entry in responses (documentation; the serializer produces it). */
export const auditEntryResponseSchema = z
  .object({
    id: z.string().meta({ description: 'ULID: sorts by time' }),
    at: z.string().meta({ description: 'ISO 8601, UTC' }),
    actor: z.object({ kind: z.string().meta({ description: AUDIT_ACTOR_KINDS.join(' | ') }), id: z.string().nullable(), label: z.string().meta({ description: "A user's email, a key's name" }) }),
    action: z.string().meta({ description: '<target kind>.<verb>, e.g. identity.update, budget.reset' }),
    target: z.object({ kind: z.string().meta({ description: AUDIT_TARGET_KINDS.join(' | ') }), id: z.string(), label: z.string().nullable() }),
    identity_id: z.string().nullable().meta({ description: 'The identity the change concerns (the identity itself or its budget)' }),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'AuditEntry' });
