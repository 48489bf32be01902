import { describe, expect, test } from 'vitest';
import { environmentProblems } from './env';

describe('environmentProblems', () => {
  test('a usual environment is fine; empty values count as unset', () => {
    expect(environmentProblems({ DATABASE_URL: 'file:./data/t.db', PORT: '3000', TOLLBOOTH_ADMIN_EMAIL: 'a@b.co', TOLLBOOTH_ADMIN_PASSWORD: 'long enough', SESSION_SECRET: '' })).toEqual([]);
    expect(environmentProblems({})).toEqual([]);
    expect(environmentProblems({ TOLLBOOTH_SQLITE_SYNCHRONOUS: 'FULL' })).toEqual([]);
    expect(environmentProblems({ TOLLBOOTH_USAGE_BATCH_MS: '0' })).toEqual([]);
  });

  test('names every bad variable with what is wrong, all at once', () => {
    expect(
      environmentProblems({
        DATABASE_URL: 'mysql://x',
        PORT: '99999',
        TOLLBOOTH_ADMIN_EMAIL: 'admin@example.com',
        SESSION_SECRET: 'short',
        TOLLBOOTH_RESERVATION_TTL_SECONDS: 'ten',
        TOLLBOOTH_TRUST_PROXY: 'yes',
        TOLLBOOTH_SQLITE_SYNCHRONOUS: 'off',
        TOLLBOOTH_USAGE_BATCH_MS: '120000',
        TOLLBOOTH_PROVIDER_OLLAMA_BASE_URL: 'localhost:11434',
      }).sort(),
    ).toEqual(
      [
        'DATABASE_URL: must be a file: URL (SQLite) or a postgresql:// URL',
        'PORT: must be at most 65535',
        'SESSION_SECRET: must be at least 32 characters',
        'TOLLBOOTH_ADMIN_PASSWORD: must be set too: the first admin needs both an email and a password',
        'TOLLBOOTH_PROVIDER_OLLAMA_BASE_URL: must be an http(s) URL, e.g. http://localhost:11434/v1',
        'TOLLBOOTH_RESERVATION_TTL_SECONDS: must be a whole number of seconds',
        'TOLLBOOTH_TRUST_PROXY: must be 1 (on) or 0 (off)',
        'TOLLBOOTH_SQLITE_SYNCHRONOUS: must be normal or full',
        'TOLLBOOTH_USAGE_BATCH_MS: must be at most 60000',
      ].sort(),
    );
  });

  test('TOLLBOOTH_RETENTION_DAYS: 0 or at least 32 whole days', () => {
    for (const ok of ['0', '32', '90', '']) expect(environmentProblems({ TOLLBOOTH_RETENTION_DAYS: ok })).toEqual([]);
    expect(environmentProblems({ TOLLBOOTH_RETENTION_DAYS: '5' })).toEqual([
      'TOLLBOOTH_RETENTION_DAYS: must be 0 (keep every event) or at least 32 days: the 30-day metrics read raw events of their oldest day',
    ]);
    for (const bad of ['-1', 'abc']) {
      expect(environmentProblems({ TOLLBOOTH_RETENTION_DAYS: bad })).toEqual(['TOLLBOOTH_RETENTION_DAYS: must be a whole number of days (0 keeps every event)']);
    }
  });
});
