// Secrets Tollbooth generates for itself (session secret, encryption key): kept in a file beside the data.
import fs from 'node:fs';
import path from 'node:path';
import { log } from '../log';
import { DEFAULT_SQLITE_FILE, sqliteFileOf } from '../database-url';

/** The folder beside the SQLite file (./data for PostgreSQL), so a generated secret lives and dies with the data. */
export function dataDir(databaseUrl: string): string {
  return path.dirname(sqliteFileOf(databaseUrl) ?? path.resolve(DEFAULT_SQLITE_FILE));
}

/** The files Tollbooth keeps in its data folder: the SQLite database (with its journals) and the generated secrets. */
const DATA_FILE_SUFFIXES = ['', '-wal', '-shm', '-journal'];
const SECRET_FILES = ['session-secret', 'encryption-key'];

/**
 * Makes the data files private to the server's user (0600) and new files and folders private too (umask 077),
 * so a database or secret created later is never readable by other users. A folder that already exists keeps
 * its mode (it may be shared, e.g. /tmp); a new one is 0700. Idempotent.
 */
export function secureDataDir(dir: string, databaseFile?: string): void {
  try {
    process.umask(0o077);
  } catch {
    // Worker threads cannot change the umask; the chmods below still apply.
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = [...SECRET_FILES.map((name) => path.join(dir, name)), ...(databaseFile ? DATA_FILE_SUFFIXES.map((s) => databaseFile + s) : [])];
  for (const file of files) {
    try {
      fs.chmodSync(file, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn({ err, file }, 'could not make a data file private');
    }
  }
}

/**
 * The secret kept in `file`, or a new one from `generate`, written with mode 0600. The file is created with
 * `wx`, so processes starting together agree on the first one written. `parse` returns undefined for a file
 * that is not a usable secret; such a file is never overwritten (the error names it).
 */
export function readOrCreateSecretFile<T>(file: string, generate: () => string, parse: (text: string) => T | undefined): T {
  const existing = readSecretFile(file, parse);
  if (existing !== undefined) return existing;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const fresh = generate();
  try {
    fs.writeFileSync(file, fresh, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process won the race (or an unusable file is in the way): its content decides.
    const written = readSecretFile(file, parse);
    if (written !== undefined) return written;
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${file} does not hold a usable secret: fix or delete it`);
    throw err;
  }
  const parsed = parse(fresh);
  if (parsed === undefined) throw new Error('A generated secret did not parse');
  return parsed;
}

function readSecretFile<T>(file: string, parse: (text: string) => T | undefined): T | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return parse(text.trim());
}
