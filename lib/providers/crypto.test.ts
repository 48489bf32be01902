import { describe, expect, test } from 'vitest';
import { decodeProtectedHeader } from 'jose';
import { DecryptionError, decryptSecret, encryptSecret, generateEncryptionKey, keyId, parseEncryptionKey } from './crypto';

const key = () => {
  const parsed = parseEncryptionKey(generateEncryptionKey());
  if (!parsed) throw new Error('a generated key must parse');
  return parsed;
};

describe('encryptSecret / decryptSecret', () => {
  test('round trip: a compact JWE (dir, A256GCM) that does not contain the secret', async () => {
    const k = key();
    const secret = 'sk-live-0123456789abcdefghijklmnop';
    const token = await encryptSecret(secret, k);
    expect(token.split('.')).toHaveLength(5);
    expect(token).not.toContain(secret);
    expect(Buffer.from(token.split('.')[3], 'base64url').toString('utf8')).not.toContain(secret);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'dir', enc: 'A256GCM', kid: keyId(k) });
    expect(await decryptSecret(token, k)).toBe(secret);
    // A fresh IV each time: the same secret never gives the same token.
    expect(await encryptSecret(secret, k)).not.toBe(token);
  });

  test('a tampered token is rejected', async () => {
    const k = key();
    const parts = (await encryptSecret('sk-secret-value', k)).split('.');
    const ciphertext = Buffer.from(parts[3], 'base64url');
    ciphertext[0] ^= 0x01;
    const tampered = [...parts.slice(0, 3), ciphertext.toString('base64url'), parts[4]].join('.');
    await expect(decryptSecret(tampered, k)).rejects.toThrow(DecryptionError);
    const badTag = [...parts.slice(0, 4), Buffer.alloc(16).toString('base64url')].join('.');
    await expect(decryptSecret(badTag, k)).rejects.toThrow(/altered/);
    await expect(decryptSecret('not-a-jwe', k)).rejects.toThrow(/not a JWE/);
  });

  test('another key is rejected, naming both key ids', async () => {
    const [a, b] = [key(), key()];
    const token = await encryptSecret('sk-secret-value', a);
    await expect(decryptSecret(token, b)).rejects.toThrow(`encrypted with key ${keyId(a)}, and this server's key is ${keyId(b)}`);
  });

  test('another key is rejected even when the header names no key', async () => {
    const [a, b] = [key(), key()];
    const parts = (await encryptSecret('sk-secret-value', a)).split('.');
    // Rewriting the protected header breaks the authentication tag: still no plaintext.
    const header = Buffer.from(JSON.stringify({ alg: 'dir', enc: 'A256GCM' })).toString('base64url');
    await expect(decryptSecret([header, ...parts.slice(1)].join('.'), b)).rejects.toThrow(DecryptionError);
    await expect(decryptSecret([header, ...parts.slice(1)].join('.'), a)).rejects.toThrow(DecryptionError);
  });
});

describe('parseEncryptionKey', () => {
  test('accepts exactly 32 bytes in base64url', () => {
    const text = Buffer.alloc(32, 7).toString('base64url');
    expect(parseEncryptionKey(text)).toEqual(new Uint8Array(32).fill(7));
  });

  test.each([
    ['16 bytes', Buffer.alloc(16, 1).toString('base64url')],
    ['33 bytes', Buffer.alloc(33, 1).toString('base64url')],
    ['standard base64 with padding', Buffer.alloc(32, 0xfb).toString('base64')],
    ['a passphrase', 'correct horse battery staple correct horse'],
    ['empty', ''],
  ])('refuses %s', (_case, text) => {
    expect(parseEncryptionKey(text)).toBeNull();
  });
});
