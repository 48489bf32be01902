// Prisma CLI configuration: offline JS engine + a driver adapter picked from DATABASE_URL
// (file: → SQLite with better-sqlite3; postgres(ql):// → PostgreSQL with pg).
import path from 'node:path';
import fs from 'node:fs';
import pg from 'pg';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { databaseUrl, providerOf } from './lib/database-url';

// A config file turns off .env loading: the default is lib/database-url.ts's.
const url = (process.env.DATABASE_URL = databaseUrl());
const postgres = providerOf(url) === 'postgresql';
const dir = postgres ? 'postgresql' : 'sqlite';

/**
 * The schema engine reads catalog columns of type `name` (OID 19), which the adapter cannot
 * deserialize (prisma/prisma#27403); report them as `text` (OID 25). Only the CLI needs this.
 */
function nameAsTextClient(): typeof pg.Client {
  const Client = class extends pg.Client {};
  const query = Client.prototype.query as (...args: unknown[]) => unknown;
  const rewrite = (res: pg.QueryResult | undefined) => {
    for (const field of res?.fields ?? []) if (field.dataTypeID === 19) field.dataTypeID = 25;
    return res;
  };
  Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    // pg.Pool#query calls client.query with a callback; direct callers get a promise.
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = (err: Error | null, res: pg.QueryResult) => last(err, rewrite(res));
    }
    const result = query.apply(this, args);
    return result instanceof Promise ? result.then(rewrite) : result;
  } as typeof Client.prototype.query;
  return Client;
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', dir, 'schema.prisma'),
  migrations: { path: path.join('prisma', dir, 'migrations') },
  async adapter() {
    if (postgres) return new PrismaPg(new pg.Pool({ connectionString: url, Client: nameAsTextClient() }));
    const file = url.replace(/^file:/, '');
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    return new PrismaBetterSQLite3({ url });
  },
});
