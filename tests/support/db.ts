// Direct reads of a test server's database, for what the API does not expose (API key ids, raw holds).
import Database from 'better-sqlite3';
import pg from 'pg';

export async function queryDb<T = Record<string, unknown>>(databaseUrl: string, sql: string, params: unknown[] = [], opts: { write?: boolean } = {}): Promise<T[]> {
  if (databaseUrl.startsWith('file:')) {
    const db = new Database(databaseUrl.slice('file:'.length), { readonly: !opts.write });
    if (opts.write) {
      db.pragma('busy_timeout = 5000');
      try {
        db.prepare(sql.replace(/\$\d+/g, '?')).run(...params);
        return [];
      } finally {
        db.close();
      }
    }
    try {
      return db.prepare(sql.replace(/\$\d+/g, '?')).all(...params) as T[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Waits until `check` holds for what `read` returns (usage is written just after a call's answer). */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
