import 'server-only';
import { db, dbProvider } from '../db';
import { containsLiteral } from '../sql';
import { Prisma } from '../generated/prisma/client';

// Identity search: a case-insensitive substring of the display name, e-mail or external id, decided once per call
// (resolveSearch) and then given as raw SQL on identity `i` (identitySearchSql, for the ranking's queries) or as a
// Prisma `where` (identitySearchWhere, for the ORM's lists).
//
// PostgreSQL: ILIKE, served by the pg_trgm GIN indexes. SQLite: text of 3 or more characters is looked up in the FTS5
// trigram index "IdentitySearch" (migration *_identity_search, kept in step with "Identity" by triggers); the ids it
// finds become the condition. Shorter text, and text found in more than MAX_INDEXED_IDS identities, is matched by a
// scan with LIKE instead, which a page of the list stops reading once it is full. The two fold case alike for ASCII;
// for other letters the index folds it in every column, the scan in display names at most (LIKE, through sortName).

/** LIKE wildcards: text with them is matched literally (instr()/strpos()), never as a LIKE pattern. */
const LIKE_WILDCARDS = /[%_\\]/;
/** The FTS index holds trigrams: it finds text of at least this many characters (code points). */
const MIN_INDEXED_CHARACTERS = 3;
/** Most index matches used as a list of ids (Prisma binds at most 999 values per SQLite statement, and each costs). */
const MAX_INDEXED_IDS = 500;
/** Most literal matches used as a list of ids. */
const MAX_LITERAL_IDS = 10_000;

/** How a search matches: the identities the FTS index found, text matched literally, or a LIKE pattern. */
type ResolvedSearch = { kind: 'indexed'; ids: string[] } | { kind: 'literal'; needle: string } | { kind: 'pattern'; text: string };

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

/** How the scan matches `text`. */
const scanned = (text: string): ResolvedSearch => (LIKE_WILDCARDS.test(text) ? { kind: 'literal', needle: text.toLowerCase() } : { kind: 'pattern', text });

/** How `search` matches in the workspace (null without search text): the index's ids when it can find them, else the scan. */
async function resolveSearch(workspaceId: string, search: string | undefined): Promise<ResolvedSearch | null> {
  const text = search?.trim();
  if (!text) return null;
  if (indexable(text)) {
    const ids = (await db.$queryRaw<{ id: string }[]>(indexedSearchQuery(workspaceId, text, MAX_INDEXED_IDS + 1))).map((r) => r.id);
    if (ids.length <= MAX_INDEXED_IDS) return { kind: 'indexed', ids };
  }
  return scanned(text);
}

/** `search` as a condition on identity `i`. */
function conditionSql(search: ResolvedSearch): Prisma.Sql {
  switch (search.kind) {
    case 'indexed':
      return search.ids.length > 0 ? Prisma.sql`i."id" IN (${Prisma.join(search.ids)})` : Prisma.sql`FALSE`;
    case 'literal': {
      const found = (column: Prisma.Sql) => containsLiteral(column, search.needle);
      return Prisma.sql`(${found(Prisma.sql`lower(coalesce(i."displayName", ''))`)} OR ${found(Prisma.sql`lower(coalesce(i."email", ''))`)}
        OR ${found(Prisma.sql`lower(i."externalId")`)})`;
    }
    case 'pattern': {
      const pattern = `%${search.text}%`;
      return dbProvider === 'postgresql'
        ? Prisma.sql`(i."displayName" ILIKE ${pattern} OR i."email" ILIKE ${pattern} OR i."externalId" ILIKE ${pattern})`
        : Prisma.sql`(i."displayName" LIKE ${pattern} OR i."email" LIKE ${pattern} OR i."externalId" LIKE ${pattern} OR i."sortName" LIKE ${pattern.toLowerCase()})`;
    }
  }
}

/** `search` as a Prisma `where` on Identity: conditionSql's, with literal matches read as a list of ids. */
async function conditionWhere(workspaceId: string, search: ResolvedSearch): Promise<Prisma.IdentityWhereInput> {
  switch (search.kind) {
    case 'indexed':
      return { id: { in: search.ids } };
    case 'literal': {
      const rows = await db.$queryRaw<{ id: string }[]>`
        SELECT i."id" AS id FROM "Identity" i WHERE i."workspaceId" = ${workspaceId} AND ${conditionSql(search)} LIMIT ${MAX_LITERAL_IDS}`;
      return { id: { in: rows.map((r) => r.id) } };
    }
    case 'pattern': {
      // `mode` exists on the PostgreSQL client only; the code is typed with the SQLite one.
      const contains = (dbProvider === 'postgresql' ? { contains: search.text, mode: 'insensitive' } : { contains: search.text }) as Prisma.StringFilter;
      const columns: Prisma.IdentityWhereInput[] = [{ displayName: contains }, { email: contains }, { externalId: contains }];
      return { OR: dbProvider === 'postgresql' ? columns : [...columns, { sortName: { contains: search.text.toLowerCase() } }] };
    }
  }
}

/** The search as a condition on identity `i` (alias it so), or null without search text. */
export async function identitySearchSql(workspaceId: string, search: string | undefined): Promise<Prisma.Sql | null> {
  const resolved = await resolveSearch(workspaceId, search);
  return resolved && conditionSql(resolved);
}

/** The search as a Prisma `where` on Identity (empty without search text). */
export async function identitySearchWhere(workspaceId: string, search: string | undefined): Promise<Prisma.IdentityWhereInput> {
  const resolved = await resolveSearch(workspaceId, search);
  return resolved ? conditionWhere(workspaceId, resolved) : {};
}
