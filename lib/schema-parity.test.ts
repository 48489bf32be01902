import fs from 'node:fs';
import { describe, expect, test } from 'vitest';

// SQLite and PostgreSQL have one schema each (a generated client per provider); their models must match.
const models = (file: string) => {
  const text = fs.readFileSync(file, 'utf8');
  return text.slice(text.search(/^model /m));
};

describe('database schemas', () => {
  test('SQLite and PostgreSQL declare the same models', () => {
    expect(models('prisma/postgresql/schema.prisma')).toBe(models('prisma/sqlite/schema.prisma'));
  });

  test('each provider has its migrations', () => {
    for (const provider of ['sqlite', 'postgresql']) {
      expect(fs.readFileSync(`prisma/${provider}/migrations/migration_lock.toml`, 'utf8')).toContain(`provider = "${provider}"`);
      expect(fs.readdirSync(`prisma/${provider}/migrations`).filter((d) => /^\d{14}_/.test(d)).length).toBeGreaterThan(0);
    }
  });
});
