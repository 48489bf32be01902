// Usage batches are written on the server's ingest worker thread: the main thread keeps answering while they are
// written, and a server killed in the middle of it leaves every batch wholly written or not at all, with the
// rollups agreeing with the events (each server here has its own database).
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './support/server';
import { queryDb } from './support/db';

const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

const NOW = '2031-05-20T12:00:00.000Z';
const hoursBefore = (hours: number) => new Date(Date.parse(NOW) - hours * 3_600_000).toISOString();

type Batch = { events: { event_id: string; external_id: string; model: string; input_tokens: number; output_tokens: number; timestamp: string }[] };

/** `count` batches of `size` events over 20 identities (the same ones in every batch), spread over the last day. */
function batches(prefix: string, count: number, size: number): Batch[] {
  return Array.from({ length: count }, (_, b) => ({
    events: Array.from({ length: size }, (_, i) => ({
      event_id: `${prefix}-${b}-${i}`,
      external_id: `${prefix}-user-${i % 20}`,
      model: 'gpt-4o',
      input_tokens: 100 + i,
      output_tokens: 10 + (i % 7),
      timestamp: hoursBefore((b * size + i) % 24),
    })),
  }));
}

const post = (server: TestServer, path: string, body: unknown) =>
  fetch(`${server.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json', 'x-tollbooth-now': NOW },
    body: JSON.stringify(body),
  });

describe('the ingest worker thread', () => {
  it('answers health checks and API reads while batches are being written, and writes every batch once', async () => {
    const server = await startServer();
    servers.push(server);
    const sent = batches('busy', 8, 1_000);
    let written = 0;
    const writes = sent.map(async (batch) => {
      const res = await post(server, '/v2/usage', batch);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { accepted: number }).accepted).toBe(1_000);
      written++;
    });
    // Sent once the batches are on their way: the main thread answers these between their arrival and their commit.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const health = await fetch(`${server.baseUrl}/api/health`);
    expect(health.status).toBe(200);
    const writtenWhenHealthy = written;
    const list = await fetch(`${server.baseUrl}/v2/identities?limit=5`, { headers: { authorization: `Bearer ${server.apiKey}` } });
    expect(list.status).toBe(200);
    await Promise.all(writes);
    expect(writtenWhenHealthy).toBeLessThan(sent.length);
    const [{ n }] = await queryDb<{ n: number | string }>(server.databaseUrl, 'SELECT COUNT(*) AS n FROM "UsageEvent"');
    expect(Number(n)).toBe(8_000);
  });

  it('leaves each batch wholly written or not at all when the server is killed mid-ingest; the rest is then sent again', async () => {
    const first = await startServer();
    const sent = batches('kill', 16, 500);
    const acked = new Set<number>();
    let next = 0;
    // Four clients send batches one after another until the server dies under them.
    const clients = Array.from({ length: 4 }, async () => {
      while (next < sent.length) {
        const index = next++;
        try {
          const res = await post(first, '/v2/usage', sent[index]);
          if (res.status === 200) acked.add(index);
          await res.arrayBuffer();
        } catch {
          return; // connection reset: the server is gone
        }
      }
    });
    while (acked.size < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    await first.kill();
    await Promise.all(clients);
    expect(acked.size).toBeLessThan(sent.length);

    const second = await startServer({ databaseUrl: first.databaseUrl, apiKey: first.apiKey });
    servers.push(second, first);
    // Sending every batch again: a batch is all duplicates (it was written, acknowledged or not) or all new.
    for (const [index, batch] of sent.entries()) {
      const res = await post(second, '/v2/usage', batch);
      expect(res.status).toBe(200);
      const { accepted, duplicates } = (await res.json()) as { accepted: number; duplicates: number };
      expect([0, 500], `batch ${index}: ${accepted} new, ${duplicates} duplicates`).toContain(accepted);
      if (acked.has(index)) expect(duplicates).toBe(500);
    }
    // Everything once: the events, and the rollups and window totals the metrics read, agree with what was sent.
    const expected = new Map<string, { requests: number; tokens: number }>();
    for (const e of sent.flatMap((b) => b.events)) {
      const m = expected.get(e.external_id) ?? { requests: 0, tokens: 0 };
      m.requests += 1;
      m.tokens += e.input_tokens + e.output_tokens;
      expected.set(e.external_id, m);
    }
    const [{ n }] = await queryDb<{ n: number | string }>(second.databaseUrl, 'SELECT COUNT(*) AS n FROM "UsageEvent"');
    expect(Number(n)).toBe(8_000);
    const res = await fetch(`${second.baseUrl}/v2/identities?include_metrics=true&limit=50&search=kill-user`, {
      headers: { authorization: `Bearer ${second.apiKey}`, 'x-tollbooth-now': NOW },
    });
    const { data } = (await res.json()) as { data: { external_id: string; metrics: { total_requests: number; total_tokens: number } }[] };
    expect(data).toHaveLength(20);
    for (const identity of data) {
      const want = expected.get(identity.external_id);
      expect(identity.metrics, identity.external_id).toMatchObject({ total_requests: want?.requests, total_tokens: want?.tokens });
    }
  });

  it('refuses, in the batch\'s transaction, a batch sent with a key revoked elsewhere since the server last checked it', async () => {
    const server = await startServer();
    servers.push(server);
    const [first, second] = batches('revoked', 2, 10);
    // The key is checked (and then trusted for a minute) by the first batch.
    expect((await post(server, '/v2/usage', first)).status).toBe(200);
    // Revoked by another instance sharing the database: this server's memory of the key is not told.
    await queryDb(server.databaseUrl, 'UPDATE "ApiKey" SET "revokedAt" = $1', [server.databaseUrl.startsWith('file:') ? new Date().toISOString() : new Date()], { write: true });
    const refused = await post(server, '/v2/usage', second);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/revoked/);
    const [{ n }] = await queryDb<{ n: number | string }>(server.databaseUrl, 'SELECT COUNT(*) AS n FROM "UsageEvent"');
    expect(Number(n)).toBe(10);
  });

  // SQLite only: the write-ahead log is copied back by the checkpoint thread beside the writers, not by them.
  it.skipIf(Boolean(process.env.TOLLBOOTH_TEST_POSTGRES_URL))('copies the write-ahead log back into the database file while batches keep coming', async () => {
    const server = await startServer();
    servers.push(server);
    const file = server.databaseUrl.slice('file:'.length);
    const before = fs.statSync(file).size;
    for (const batch of batches('wal', 6, 1_000)) expect((await post(server, '/v2/usage', batch)).status).toBe(200);
    // Committed batches sit in the -wal file until a checkpoint copies their pages into the database file, which then
    // grows; nothing else writes it. The thread checkpoints once a second.
    const deadline = Date.now() + 15_000;
    while (fs.statSync(file).size <= before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fs.statSync(file).size).toBeGreaterThan(before);
    expect(fs.existsSync(`${file}-wal`)).toBe(true);
  }, 60_000);
});
