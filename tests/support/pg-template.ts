// Fresh, migrated PostgreSQL databases in well under a second: the committed migrations are applied once, to a
// template database named after their content, and every test database is a copy of it (CREATE DATABASE …
// TEMPLATE). Applying ~30 migrations with `prisma migrate deploy` takes 5–20 s per database on 2 busy cores.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const TEMPLATE_PREFIX = 'tollbooth_tpl_';
// Any fixed number: serialises template creation across test processes sharing the server.
const TEMPLATE_LOCK = 7_351_202;

/** A name for the committed migrations' content: a changed or added migration makes a new template. */
function migrationsHash(): string {
  const dir = path.join(repoRoot, 'prisma', 'postgresql', 'migrations');
  const hash = createHash('sha256');
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name, 'migration.sql');
    if (!fs.existsSync(file)) continue;
    hash.update(name).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

const urlFor = (adminUrl: string, name: string) => Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();

async function withAdmin<T>(adminUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/**
 * The template database holding every committed migration, created (by scripts/migrate.mjs, as `npm start` migrates)
 * when missing. Test runs call it from their global setup, where slow work has no hook timeout.
 */
export async function migratedTemplate(adminUrl: string): Promise<string> {
  const template = `${TEMPLATE_PREFIX}${migrationsHash()}`;
  return withAdmin(adminUrl, async (admin) => {
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (found.rowCount) return template;
      // Migrate under a scratch name and rename when done: a template never exists half-migrated.
      const scratch = `${TEMPLATE_PREFIX}building_${randomBytes(4).toString('hex')}`;
      await admin.query(`CREATE DATABASE ${scratch}`);
      const migrate = spawnSync(process.execPath, ['scripts/migrate.mjs'], { cwd: repoRoot, env: { ...process.env, DATABASE_URL: urlFor(adminUrl, scratch) }, encoding: 'utf8' });
      if (migrate.status !== 0) {
        await admin.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
        throw new Error(`migrating the test template failed: ${migrate.stdout}\n${migrate.stderr}`);
      }
      await admin.query(`ALTER DATABASE ${scratch} RENAME TO ${template}`);
      // Templates of older migration sets are of no more use.
      const stale = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1 AND datname <> $2', [`${TEMPLATE_PREFIX}%`, template]);
      for (const { datname } of stale.rows) {
        if (!datname.includes('_building_')) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => undefined);
      }
      return template;
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
  });
}

/** Creates database `name` with every committed migration applied; returns its URL. */
export async function createMigratedPgDatabase(adminUrl: string, name: string): Promise<string> {
  const template = await migratedTemplate(adminUrl);
  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return urlFor(adminUrl, name);
}

/** Vitest global setup (unit and integration runs): builds the template before any test asks for a database. */
export async function setupPgTemplate(): Promise<void> {
  const admin = process.env.TOLLBOOTH_TEST_POSTGRES_URL;
  if (admin) await migratedTemplate(admin);
}
