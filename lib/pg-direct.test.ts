import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { Prisma } from './generated/prisma/client';
import { connectPg, createPgPools, pgQuery } from './pg-direct';

const url = process.env.TOLLBOOTH_TEST_POSTGRES_URL;

async function withClient(fn: (client: pg.Client) => Promise<void>) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}

const preparedOn = async (client: pg.Client) =>
  (await client.query<{ name: string; statement: string }>('SELECT name, statement FROM pg_prepared_statements ORDER BY name')).rows;

describe.runIf(url)('statements prepared by name (PostgreSQL)', () => {
  test("a prepared statement is prepared once on a connection, under one name, and runs with each call's values", async () => {
    await withClient(async (client) => {
      const plusOne = (n: number) => pgQuery<{ n: number }>(client, Prisma.sql`SELECT ${n}::int + 1 AS n`, { prepared: true });
      expect((await plusOne(1)).rows).toEqual([{ n: 2 }]);
      expect((await plusOne(41)).rows).toEqual([{ n: 42 }]);
      expect(await preparedOn(client)).toEqual([{ name: expect.stringMatching(/^tollbooth_\d+$/), statement: 'SELECT $1::int + 1 AS n' }]);
      // Unless asked for, a statement is not kept.
      expect((await pgQuery<{ n: number }>(client, Prisma.sql`SELECT ${7}::int AS n`)).rows).toEqual([{ n: 7 }]);
      expect(await preparedOn(client)).toHaveLength(1);
    });
  });

  test('texts past the limit run unnamed: a text made with a varying number of values cannot fill a connection with statements', async () => {
    await withClient(async (client) => {
      for (let count = 1; count <= 80; count++) {
        const values = Array.from({ length: count }, (_, i) => i);
        const { rows } = await pgQuery<{ n: number }>(client, Prisma.sql`SELECT ${Prisma.join(values.map((v) => Prisma.sql`${v}::int`), ' + ')} AS n`, {
          prepared: true,
        });
        expect(rows).toEqual([{ n: (count * (count - 1)) / 2 }]);
      }
      const prepared = await preparedOn(client);
      expect(prepared.length).toBeGreaterThan(0);
      expect(prepared.length).toBeLessThanOrEqual(64);
    });
  });
});

describe.runIf(url)("the process's pools (PostgreSQL)", () => {
  test("admissions' connections commit without waiting for the log's flush; the ORM's wait for it", async () => {
    const { pool, asyncCommitPool } = createPgPools(url as string);
    try {
      const setting = Prisma.sql`SELECT current_setting('synchronous_commit') AS s`;
      // Several connections of each: every connection the admission pool opens is set, not only its first.
      const read = async (options: { asyncCommit?: boolean }) => {
        const client = await connectPg({ pool, asyncCommitPool }, options);
        try {
          return await pgQuery<{ s: string }>(client, setting);
        } finally {
          client.release();
        }
      };
      const admission = await Promise.all(Array.from({ length: 4 }, () => read({ asyncCommit: true })));
      const orm = await Promise.all(Array.from({ length: 4 }, () => read({})));
      // Set once per connection: handed out again, it is still set.
      expect((await read({ asyncCommit: true })).rows[0].s).toBe('off');
      expect(asyncCommitPool.totalCount).toBeGreaterThan(1);
      expect(admission.map((r) => r.rows[0].s)).toEqual(['off', 'off', 'off', 'off']);
      expect(orm.map((r) => r.rows[0].s)).toEqual(['on', 'on', 'on', 'on']);
    } finally {
      await Promise.all([pool.end(), asyncCommitPool.end()]);
    }
  });
});
