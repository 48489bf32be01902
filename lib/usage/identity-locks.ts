import 'server-only';
import { dbProvider, type Tx } from '../db';
import { Prisma } from '../generated/prisma/client';
import { query } from '../sql-exec';

// PostgreSQL only. The usage tables ingest appends to have no foreign keys there (prisma/postgresql/migrations/
// *_usage_rows_without_fk_checks): each key was checked row by row, some five checks per event. A writer locks the
// identities it is about to write rows for instead, once per batch, with the lock such a check takes; SQLite keeps its
// foreign keys and needs nothing.

/** What a foreign key check raises when the row it names is gone (PostgreSQL's 23503), so callers retry as they did. */
export class IdentityGoneError extends Error {
  readonly code = '23503';
  constructor(count: number) {
    super(`${count} of the identities being written to were deleted meanwhile`);
  }
}

/**
 * Share-locks the identities (FOR KEY SHARE: deleting one waits for this transaction, updating one does not) and
 * throws IdentityGoneError when any is gone, so that no usage row of `tx` can name a deleted identity.
 */
export async function lockIdentities(tx: Tx, identityIds: Iterable<string>): Promise<void> {
  if (dbProvider !== 'postgresql') return;
  const ids = [...new Set(identityIds)];
  if (ids.length === 0) return;
  const [{ n }] = await query<{ n: number }>(
    tx,
    Prisma.sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM "Identity" WHERE "id" = ANY(${ids}::text[]) FOR KEY SHARE) AS locked`,
  );
  if (n < ids.length) throw new IdentityGoneError(ids.length - n);
}
