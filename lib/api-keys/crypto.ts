// API keys are random 256-bit secrets; only their SHA-256 is stored (like GitHub and Stripe tokens).
import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'tb_';

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** What the Studio shows of a key: enough to recognise it, never enough to use it. */
export function displayPrefix(key: string): string {
  return key.slice(0, Math.min(10, Math.max(4, key.length - 4)));
}

/** `Bearer <key>` → key. Tolerates the trailing colon of orq's curl examples. */
export function parseBearer(header: string | null): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match) return null;
  const key = match[1].trim().replace(/:$/, '');
  return key.length > 0 ? key : null;
}
