// DATABASE_URL, read in one place: its default, which database it names and, for SQLite, which file.
// (scripts/migrate.mjs runs before any TypeScript is compiled and spells the same default.)
import path from 'node:path';

/** Where Tollbooth keeps its data when DATABASE_URL is not set: a SQLite file under ./data. */
export const DEFAULT_SQLITE_FILE = './data/tollbooth.db';
export const DEFAULT_DATABASE_URL = `file:${DEFAULT_SQLITE_FILE}`;

export type DbProvider = 'sqlite' | 'postgresql';

/** The database this process uses. */
export const databaseUrl = (env: Record<string, string | undefined> = process.env): string => env.DATABASE_URL || DEFAULT_DATABASE_URL;

/** Which database a URL names: `file:` is SQLite, `postgres(ql)://` is PostgreSQL; anything else throws. */
export function providerOf(url: string): DbProvider {
  if (url.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  throw new Error(`DATABASE_URL must be a file: (SQLite) or postgresql:// URL; got "${url.split(':')[0]}:"`);
}

/** The SQLite file a `file:` URL names, as an absolute path; null for any other URL. */
export const sqliteFileOf = (url: string): string | null => (url.startsWith('file:') ? path.resolve(url.slice('file:'.length)) : null);
