import 'server-only';
import { db, dbProvider } from '../db';
import { Prisma } from '../generated/prisma/client';

// Identity search: a case-insensitive substring of the display name, e-mail or external id, decided once per call
// (resolveSearch) and given as raw SQL on identity `i` (identitySearchSql), the one condition of every list that
// searches (lib/identities/filters.ts, the budgets list's query). Text is always matched literally: the LIKE
// wildcards in it (`%`, `_`) and the escape character (`\`) are escaped.
//
// PostgreSQL: ILIKE, served by the pg_trgm GIN indexes. SQLite: text of 3 or more characters is looked up in the FTS5
// trigram index "IdentitySearch" (migration *_identity_search, kept in step with "Identity" by triggers); the ids it
// finds become the condition. Shorter text, and text found in more than MAX_INDEXED_IDS identities, is matched by a
// scan with LIKE instead, which a page of the list stops reading once it is full. The two fold case alike for ASCII;
// for other letters the index folds it in every column, the scan in display names at most (LIKE, through sortName).

/** An identity's sortName: its display name, or its external id, lower-cased (sorting by name; the LIKE scan reads it). */
export const sortNameOf = (displayName: string | null | undefined, externalId: string) => (displayName || externalId).toLowerCase();

/** What LIKE reads as a wildcard (`%`, `_`) or as the escape character (`\`, named in ESCAPE on SQLite, PostgreSQL's default). */
const LIKE_SPECIAL = /[%_\\]/g;
/** The FTS index holds trigrams: it finds text of at least this many characters (code points). */
const MIN_INDEXED_CHARACTERS = 3;
/** Most index matches used as a list of ids (Prisma binds at most 999 values per SQLite statement, and each costs). */
const MAX_INDEXED_IDS = 500;

/** How a search matches: the identities the FTS index found, or a scan with a LIKE pattern. */
type ResolvedSearch = { kind: 'indexed'; ids: string[] } | { kind: 'scan'; pattern: string };

/**
 * An FTS5 phrase matching `text` as a substring: double-quoted, its double quotes doubled, so that nothing in it
 * (`*`, `OR`, `NEAR(`, `:`, `-` …) is query syntax.
 */
const ftsPhrase = (text: string) => `"${text.replaceAll('"', '""')}"`;

/** Whether SQLite's FTS index can find `text` (FTS5 cannot parse a NUL in a query; no stored value holds one). */
const indexable = (text: string) => dbProvider === 'sqlite' && [...text].length >= MIN_INDEXED_CHARACTERS && !text.includes('\0');

/**
 * The query that looks `text` up in the FTS index: ids of up to `limit` identities of the workspace. The trigram
 * tokenizer folds case (Unicode) on both sides, so the phrase matches case-insensitively.
 */
export const indexedSearchQuery = (workspaceId: string, text: string, limit: number): Prisma.Sql => Prisma.sql`
  SELECT r."identityId" AS id FROM "IdentitySearch" s JOIN "IdentitySearchRow" r ON r."rowid" = s."rowid"
  WHERE "IdentitySearch" MATCH ${ftsPhrase(text)} AND r."workspaceId" = ${workspaceId} LIMIT ${limit}`;

/** The LIKE pattern of `text` as a substring, matched literally. */
const containsPattern = (text: string) => `%${text.replace(LIKE_SPECIAL, '\\$&')}%`;

/** `column` matches the LIKE `pattern` (escaped with `\`): case-insensitively (for ASCII at least). */
const like = (column: Prisma.Sql, pattern: string): Prisma.Sql =>
  dbProvider === 'postgresql' ? Prisma.sql`${column} ILIKE ${pattern}` : Prisma.sql`${column} LIKE ${pattern} ESCAPE '\\'`;

/** How `search` matches in the workspace (null without search text): the index's ids when it can find them, else the scan. */
async function resolveSearch(workspaceId: string, search: string | undefined): Promise<ResolvedSearch | null> {
  const text = search?.trim();
  if (!text) return null;
  if (indexable(text)) {
    const ids = (await db.$queryRaw<{ id: string }[]>(indexedSearchQuery(workspaceId, text, MAX_INDEXED_IDS + 1))).map((r) => r.id);
    if (ids.length <= MAX_INDEXED_IDS) return { kind: 'indexed', ids };
  }
  return { kind: 'scan', pattern: containsPattern(text) };
}

/** `search` as a condition on identity `i`. */
function conditionSql(search: ResolvedSearch): Prisma.Sql {
  if (search.kind === 'indexed') return search.ids.length > 0 ? Prisma.sql`i."id" IN (${Prisma.join(search.ids)})` : Prisma.sql`FALSE`;
  const columns = [Prisma.sql`i."displayName"`, Prisma.sql`i."email"`, Prisma.sql`i."externalId"`].map((column) => like(column, search.pattern));
  // SQLite's LIKE folds ASCII only: the lower-cased display name (sortName) folds the rest.
  if (dbProvider === 'sqlite') columns.push(like(Prisma.sql`i."sortName"`, search.pattern.toLowerCase()));
  return Prisma.sql`(${Prisma.join(columns, ' OR ')})`;
}

/** The search as a condition on identity `i` (alias it so), or null without search text. */
export async function identitySearchSql(workspaceId: string, search: string | undefined): Promise<Prisma.Sql | null> {
  const resolved = await resolveSearch(workspaceId, search);
  return resolved && conditionSql(resolved);
}
