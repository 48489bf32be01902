import 'server-only';
import { randomBytes } from 'node:crypto';
import { decryptSecret, encryptSecret } from '../providers/crypto';
import { getEncryptionKey } from '../providers/encryption-key';

// A notifier's signing secret per Standard Webhooks: "whsec_" + base64 of 32 random bytes; encrypted at rest with
// the key that encrypts provider API keys.

export const SECRET_PREFIX = 'whsec_';

export function generateSigningSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

export const encryptSigningSecret = (secret: string) => encryptSecret(secret, getEncryptionKey());

export async function decryptSigningSecret(notifierName: string, token: string): Promise<string> {
  try {
    return await decryptSecret(token, getEncryptionKey());
  } catch (err) {
    throw new Error(
      `The signing secret of notifier "${notifierName}" cannot be decrypted (${err instanceof Error ? err.message : String(err)}): ` +
        "this server's encryption key is not the one it was saved with. Restore that key, or delete the notifier and create it again.",
    );
  }
}
