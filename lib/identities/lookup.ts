import 'server-only';
import { db, type Tx } from '../db';
import { Prisma } from '../generated/prisma/client';
import { jsonCell } from '../json-cell';

// Identities are read on every API call that names one (retrieve, update, a usage check, a key's owner) and on every
// list page: one raw statement each, as the ORM's query compile cost more than the reads.

/** An identity's row, as the ORM would read it. */
export type IdentityRow = Prisma.IdentityGetPayload<object>;

const COLUMNS = Prisma.raw('"id", "workspaceId", "externalId", "displayName", "email", "avatarUrl", "metadata", "tags", "sortName", "source", "createdAt", "updatedAt"');

/** A row as the raw statement returns it: dates may come back as text, and JSON cells as their text (SQLite). */
type RawRow = Omit<IdentityRow, 'metadata' | 'tags' | 'createdAt' | 'updatedAt'> & { metadata: unknown; tags: unknown; createdAt: Date | string; updatedAt: Date | string };

const toRow = (r: RawRow): IdentityRow => ({
  id: r.id,
  workspaceId: r.workspaceId,
  externalId: r.externalId,
  displayName: r.displayName,
  email: r.email,
  avatarUrl: r.avatarUrl,
  metadata: jsonCell(r.metadata) as Prisma.JsonValue | null,
  tags: jsonCell(r.tags) as Prisma.JsonValue | null,
  sortName: r.sortName,
  source: r.source,
  createdAt: new Date(r.createdAt),
  updatedAt: new Date(r.updatedAt),
});

/** The identities matching `where` (a trusted condition on "Identity"), in no particular order. */
export async function selectIdentities(client: Tx | typeof db, where: Prisma.Sql): Promise<IdentityRow[]> {
  const rows = await client.$queryRaw<RawRow[]>`SELECT ${COLUMNS} FROM "Identity" WHERE ${where}`;
  return rows.map(toRow);
}

/** An identity addressed by `_id` or external id; an `_id` wins over an external id that looks the same. */
export async function findIdentityRow(client: Tx | typeof db, workspaceId: string, idOrExternalId: string): Promise<IdentityRow | null> {
  // Each branch reads one key: the primary key, then the workspace's external ids.
  const [row] = await client.$queryRaw<(RawRow & { rank: number | bigint })[]>`
    SELECT ${COLUMNS}, 0 AS "rank" FROM "Identity" WHERE "id" = ${idOrExternalId} AND "workspaceId" = ${workspaceId}
    UNION ALL
    SELECT ${COLUMNS}, 1 AS "rank" FROM "Identity" WHERE "workspaceId" = ${workspaceId} AND "externalId" = ${idOrExternalId}
    ORDER BY "rank" LIMIT 1`;
  return row ? toRow(row) : null;
}
