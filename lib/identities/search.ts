import 'server-only';
import { db, dbProvider } from '../db';
import { containsLiteral } from '../sql';
import { Prisma } from '../generated/prisma/client';

/** LIKE wildcards that Prisma's `contains` does not escape on SQLite. */
const LIKE_WILDCARDS = /[%_\\]/;
const MAX_LITERAL_MATCHES = 10_000;

/**
 * Case-insensitive substring match on display name, e-mail and external id. Plain text uses
 * `contains` (LIKE); text with `%`, `_` or `\` is matched literally with instr().
 */
export async function identitySearchWhere(workspaceId: string, search: string | undefined): Promise<Prisma.IdentityWhereInput> {
  const text = search?.trim();
  if (!text) return {};
  if (!LIKE_WILDCARDS.test(text)) {
    // PostgreSQL: ILIKE on three columns, each served by a trigram index. SQLite LIKE is case-insensitive for
    // ASCII; sortName is lower-cased for the rest.
    if (dbProvider === 'postgresql') {
      // `mode` exists on the PostgreSQL client only; the code is typed with the SQLite one.
      const contains = (value: string) => ({ contains: value, mode: 'insensitive' }) as Prisma.StringFilter;
      return { OR: [{ displayName: contains(text) }, { email: contains(text) }, { externalId: contains(text) }] };
    }
    return {
      OR: [
        { displayName: { contains: text } },
        { email: { contains: text } },
        { externalId: { contains: text } },
        { sortName: { contains: text.toLowerCase() } },
      ],
    };
  }
  const needle = text.toLowerCase();
  const found = (column: Prisma.Sql) => containsLiteral(column, needle);
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT "id" AS id FROM "Identity" WHERE "workspaceId" = ${workspaceId} AND (
      ${found(Prisma.sql`lower(coalesce("displayName", ''))`)} OR
      ${found(Prisma.sql`lower(coalesce("email", ''))`)} OR
      ${found(Prisma.sql`lower("externalId")`)})
    LIMIT ${MAX_LITERAL_MATCHES}`;
  return { id: { in: rows.map((r) => r.id) } };
}
