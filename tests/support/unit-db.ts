// A real, migrated database for unit tests of database code: a SQLite file, or a fresh PostgreSQL database when
// TOLLBOOTH_TEST_POSTGRES_URL names a server. Migrations are the committed ones, applied in order.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../lib/generated/prisma/client';
import { PrismaClient as PgPrismaClient } from '../../lib/generated/prisma-pg/client';
import { createMigratedPgDatabase } from './pg-template';

export type UnitDb = { name: 'sqlite' | 'postgresql'; client: PrismaClient; drop: () => Promise<void> };

const migrationSql = (provider: 'sqlite' | 'postgresql') => {
  const dir = path.join(import.meta.dirname, '..', '..', 'prisma', provider, 'migrations');
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8'));
};

export async function sqliteUnitDb(): Promise<UnitDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tollbooth-unit-'));
  const file = path.join(dir, 'unit.db');
  const raw = new Database(file);
  for (const sql of migrationSql('sqlite')) raw.exec(sql);
  raw.close();
  const client = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${file}`, timeout: 10_000 }) });
  return {
    name: 'sqlite',
    client,
    drop: async () => {
      await client.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function postgresUnitDb(adminUrl: string): Promise<UnitDb> {
  const name = `tollbooth_unit_${randomBytes(6).toString('hex')}`;
  const url = await createMigratedPgDatabase(adminUrl, name);
  const client = new PgPrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 20 }) }) as unknown as PrismaClient;
  return {
    name: 'postgresql',
    client,
    drop: async () => {
      await client.$disconnect();
      const again = new pg.Client({ connectionString: adminUrl });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    },
  };
}

/** SQLite always; PostgreSQL too when TOLLBOOTH_TEST_POSTGRES_URL is set. */
export function unitDatabases(): { name: 'sqlite' | 'postgresql'; open: () => Promise<UnitDb> }[] {
  const pgUrl = process.env.TOLLBOOTH_TEST_POSTGRES_URL;
  return [{ name: 'sqlite', open: sqliteUnitDb }, ...(pgUrl ? [{ name: 'postgresql' as const, open: () => postgresUnitDb(pgUrl) }] : [])];
}
