import 'server-only';
import path from 'node:path';
import { databaseUrl } from '../database-url';
import { dataDir, readOrCreateSecretFile } from '../secrets/data-file';
import { DecryptionError, decryptSecret, encryptSecret, generateEncryptionKey, keyId, parseEncryptionKey } from './crypto';

// The key that encrypts provider API keys at rest: TOLLBOOTH_ENCRYPTION_KEY, else one generated once beside the data.

const ENV = 'TOLLBOOTH_ENCRYPTION_KEY';
const HOW_TO_MAKE =
  'Generate one with: node -e "console.log(require(\'node:crypto\').randomBytes(32).toString(\'base64url\'))"';

let cached: Uint8Array | undefined;

/** Where a generated key is kept: beside the SQLite file (./data for PostgreSQL), like the session secret. */
export function encryptionKeyFilePath(url = databaseUrl()): string {
  return path.join(dataDir(url), 'encryption-key');
}

/** Refuses a TOLLBOOTH_ENCRYPTION_KEY that is not 32 bytes in base64url (called at start-up). */
export function assertEncryptionKeyConfig(env: Record<string, string | undefined> = process.env): void {
  const value = env[ENV];
  if (value === undefined || value === '') return;
  if (!parseEncryptionKey(value.trim())) {
    throw new Error(`${ENV} must be exactly 32 random bytes in base64url (43 characters, no padding); the value set is not. ${HOW_TO_MAKE}`);
  }
}

/** The encryption key of this server (cached). */
export function getEncryptionKey(): Uint8Array {
  if (cached) return cached;
  const fromEnv = process.env[ENV];
  if (fromEnv) {
    assertEncryptionKeyConfig();
    cached = parseEncryptionKey(fromEnv.trim()) as Uint8Array;
    return cached;
  }
  const file = encryptionKeyFilePath();
  cached = readOrCreateSecretFile(file, generateEncryptionKey, (text) => parseEncryptionKey(text) ?? undefined);
  return cached;
}

export function encryptApiKey(apiKey: string): Promise<string> {
  return encryptSecret(apiKey, getEncryptionKey());
}

/** The clear API key of a provider; an Error saying which key is missing when it cannot be decrypted. */
export async function decryptApiKey(providerName: string, token: string): Promise<string> {
  const key = getEncryptionKey();
  try {
    return await decryptSecret(token, key);
  } catch (err) {
    if (!(err instanceof DecryptionError)) throw err;
    const source = process.env[ENV] ? ENV : encryptionKeyFilePath();
    throw new Error(
      `The API key of provider "${providerName}" cannot be decrypted (${err.message}): this server's encryption key ` +
        `(${source}, id ${keyId(key)}) is not the one it was saved with. Restore that key, or save the provider's API key again.`,
    );
  }
}

