import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DEFAULT_DATABASE_URL } from '../db';

const MIN_SECRET_LENGTH = 32;

let cached: string | undefined;

/** Where a generated secret is kept: beside the SQLite file, so it lives and dies with the data. */
export function secretFilePath(databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL): string {
  const file = databaseUrl.startsWith('file:') ? databaseUrl.slice('file:'.length) : './data/tollbooth.db';
  return path.join(path.dirname(path.resolve(file)), 'session-secret');
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
  const file = secretFilePath();
  cached = readSecret(file) ?? writeSecret(file);
  return cached;
}

function readSecret(file: string): string | undefined {
  try {
    const value = fs.readFileSync(file, 'utf8').trim();
    return value.length >= MIN_SECRET_LENGTH ? value : undefined;
  } catch {
    return undefined;
  }
}

function writeSecret(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  try {
    // `wx` fails if another process won the race; then its secret is the one to use.
    fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (err) {
    const existing = readSecret(file);
    if (existing) return existing;
    throw err;
  }
}
