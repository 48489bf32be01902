import 'server-only';
import type { Tx } from '../db';
import { Prisma } from '../generated/prisma/client';
import { newId } from '../ids';
import type { Actor } from './actor';
import { changedFields } from './snapshots';

export type AuditTargetKind = 'identity' | 'budget' | 'provider' | 'api_key' | 'user' | 'invite' | 'notifier' | 'price' | 'deployment' | 'settings';

export type AuditChange = {
  workspaceId: string;
  actor: Actor;
  /** "<target kind>.<verb>": identity.create, budget.reset, user.role_change … */
  action: `${AuditTargetKind}.${string}`;
  target: { kind: AuditTargetKind; id: string; label?: string | null };
  /** The identity the change concerns (the identity itself, or its budget): shown in its history. */
  identityId?: string | null;
  /** Plain JSON snapshots (never secrets: no keys, hashes or signing secrets). */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** When the change was made (the request's time); the clock's now when left out. */
  at?: Date;
};

const jsonOrNull = (value: Record<string, unknown> | null | undefined) =>
  value == null ? Prisma.DbNull : (JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as Prisma.InputJsonValue);

/** Writes one audit entry inside the transaction that makes the change, so the change and its record stand or fall together. */
export async function recordAudit(tx: Tx, change: AuditChange): Promise<void> {
  await tx.auditEntry.create({
    data: {
      id: newId(),
      workspaceId: change.workspaceId,
      at: change.at ?? new Date(),
      actorKind: change.actor.kind,
      actorId: change.actor.id,
      actorLabel: change.actor.label,
      action: change.action,
      targetKind: change.target.kind,
      targetId: change.target.id,
      targetLabel: change.target.label ?? null,
      identityId: change.identityId ?? null,
      before: jsonOrNull(change.before),
      after: jsonOrNull(change.after),
    },
  });
}

/**
 * An update's entry with only the fields that changed (before and after both shown); nothing is written when the
 * snapshots are equal, so a save that changes nothing leaves no entry.
 */
export async function recordUpdate(
  tx: Tx,
  change: Omit<AuditChange, 'before' | 'after'>,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Promise<void> {
  const diff = changedFields(before, after);
  if (diff) await recordAudit(tx, { ...change, ...diff });
}
