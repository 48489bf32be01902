// API keys are random 256-bit secrets; only their SHA-256 is stored (like GitHub and Stripe tokens).
import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'tb_';

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Characters of a key shown after `tb_` (and stored in clear): enough to tell keys apart, too few to help guess one. */
export const SHOWN_KEY_CHARS = 4;

/** What the Studio shows of a key: `tb_` and 4 characters; never more than a quarter of a short key. */
export function displayPrefix(key: string): string {
  const lead = key.startsWith(API_KEY_PREFIX) ? API_KEY_PREFIX : '';
  const rest = key.slice(lead.length);
  return lead + rest.slice(0, Math.min(SHOWN_KEY_CHARS, Math.floor(rest.length / 4)));
}

export const MIN_ROOT_KEY_LENGTH = 32;
/** Distinct characters and bits per character below which a key looks typed rather than generated. */
const MIN_DISTINCT_CHARS = 10;
const MIN_BITS_PER_CHAR = 3;

export const KEY_GENERATION_HINT =
  "generate one with: node -e \"console.log('tb_'+require('crypto').randomBytes(32).toString('base64url'))\" " +
  "(or: echo tb_$(openssl rand -base64 32 | tr -d '/+='))";

/**
 * Why a key chosen by the operator (TOLLBOOTH_API_KEY) is too weak to guard the API, or null. Keys are
 * stored as an unsalted SHA-256, so a short or typed key can be found from the database in seconds.
 */
export function weakKeyReason(key: string): string | null {
  if (key.length < MIN_ROOT_KEY_LENGTH) return `it has ${key.length} characters; use at least ${MIN_ROOT_KEY_LENGTH} random ones`;
  const counts = new Map<string, number>();
  for (const ch of key) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / key.length) * Math.log2(n / key.length);
  if (counts.size < MIN_DISTINCT_CHARS || bits < MIN_BITS_PER_CHAR) return 'it repeats too few characters to be random; use a generated key';
  return null;
}

/** `Bearer <key>` → key. Tolerates the trailing colon of orq's curl examples. */
export function parseBearer(header: string | null): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match) return null;
  const key = match[1].trim().replace(/:$/, '');
  return key.length > 0 ? key : null;
}
