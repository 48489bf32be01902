import 'server-only';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { databaseUrl } from '../database-url';
import { dataDir, readOrCreateSecretFile } from '../secrets/data-file';

const MIN_SECRET_LENGTH = 32;

let cached: string | undefined;

/** Where a generated secret is kept: beside the SQLite file, so it lives and dies with the data. */
export function secretFilePath(url = databaseUrl()): string {
  return path.join(dataDir(url), 'session-secret');
}

/**
 * The key that seals Studio session cookies: SESSION_SECRET, else a random one generated on first
 * use and persisted (mode 0600) so sessions survive restarts. Never a constant in the code.
 */
export function getSessionSecret(): string {
  if (cached) return cached;
  const fromEnv = process.env.SESSION_SECRET;
  if (fromEnv) {
    if (fromEnv.length < MIN_SECRET_LENGTH) throw new Error(`SESSION_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
    cached = fromEnv;
    return cached;
  }
  cached = readOrCreateSecretFile(
    secretFilePath(),
    () => randomBytes(48).toString('base64url'),
    (text) => (text.length >= MIN_SECRET_LENGTH ? text : undefined),
  );
  return cached;
}
