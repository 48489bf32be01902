import 'server-only';
import { db } from '../db';
import type { Prisma } from '../generated/prisma/client';

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
    // SQLite LIKE is case-insensitive for ASCII; sortName is lower-cased for the rest.
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
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Identity" WHERE "workspaceId" = ${workspaceId} AND (
      instr(lower(coalesce("displayName", '')), ${needle}) > 0 OR
      instr(lower(coalesce("email", '')), ${needle}) > 0 OR
      instr(lower("externalId"), ${needle}) > 0)
    LIMIT ${MAX_LITERAL_MATCHES}`;
  return { id: { in: rows.map((r) => r.id) } };
}
