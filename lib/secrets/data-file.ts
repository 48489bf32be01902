// Secrets Tollbooth generates for itself (session secret, encryption key): kept in a file beside the data.
import fs from 'node:fs';
import path from 'node:path';

/** The folder beside the SQLite file (./data for PostgreSQL), so a generated secret lives and dies with the data. */
export function dataDir(databaseUrl: string): string {
  const file = databaseUrl.startsWith('file:') ? databaseUrl.slice('file:'.length) : './data/tollbooth.db';
  return path.dirname(path.resolve(file));
}

/**
 * The secret kept in `file`, or a new one from `generate`, written with mode 0600. The file is created with
 * `wx`, so processes starting together agree on the first one written. `parse` returns undefined for a file
 * that is not a usable secret; such a file is never overwritten (the error names it).
 */
export function readOrCreateSecretFile<T>(file: string, generate: () => string, parse: (text: string) => T | undefined): T {
  const existing = readSecretFile(file, parse);
  if (existing !== undefined) return existing;
  fs.mkdirSync(path.dirname(file), { recursive: true });
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
