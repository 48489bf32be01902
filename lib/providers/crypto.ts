// Provider API keys at rest: compact JWE (alg "dir", enc "A256GCM") under a 32-byte workspace-independent key.
import { createHash, randomBytes } from 'node:crypto';
import { CompactEncrypt, compactDecrypt, decodeProtectedHeader } from 'jose';

export const ENCRYPTION_KEY_BYTES = 32;

/** A fresh key, as TOLLBOOTH_ENCRYPTION_KEY or the generated key file hold it (base64url). */
export function generateEncryptionKey(): string {
  return randomBytes(ENCRYPTION_KEY_BYTES).toString('base64url');
}

/** base64url text → the 32 key bytes, or null for anything else (other lengths, other alphabets, padding). */
export function parseEncryptionKey(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64url');
  // Round-trip: rejects a text with stray bits that would decode to the same bytes.
  if (bytes.length !== ENCRYPTION_KEY_BYTES || bytes.toString('base64url') !== text) return null;
  return new Uint8Array(bytes);
}

/** A short public fingerprint of a key (its `kid`): tells which key a value was encrypted with, reveals nothing. */
export function keyId(key: Uint8Array): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 12);
}

export async function encryptSecret(plaintext: string, key: Uint8Array): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(plaintext))
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: keyId(key) })
    .encrypt(key);
}

export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

/** The plaintext of a token from encryptSecret; a DecryptionError for another key or a tampered token. */
export async function decryptSecret(token: string, key: Uint8Array): Promise<string> {
  let kid: unknown;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    throw new DecryptionError('the stored value is not a JWE');
  }
  if (typeof kid === 'string' && kid !== keyId(key)) {
    throw new DecryptionError(`it was encrypted with key ${kid}, and this server's key is ${keyId(key)}`);
  }
  try {
    const { plaintext } = await compactDecrypt(token, key, { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });
    return new TextDecoder().decode(plaintext);
  } catch {
    throw new DecryptionError('the stored value was altered or was encrypted with another key');
  }
}
