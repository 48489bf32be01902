import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { unitDatabases, type UnitDb } from '../../tests/support/unit-db';
import { backoffMs, FORGET_AFTER_MS, FREE_FAILURES, GLOBAL_MAX_FAILURES, GLOBAL_WINDOW_MS, MAX_DELAY_MS, SignInThrottle, type ThrottleDecision } from './throttle';

test('backoff: free failures, then 1 s, 2 s, 4 s … capped at 15 min', () => {
  expect([0, 4, 5, 6, 7, 8].map(backoffMs)).toEqual([0, 0, 1_000, 2_000, 4_000, 8_000]);
  expect(backoffMs(40)).toBe(MAX_DELAY_MS);
  expect(backoffMs(10_000)).toBe(MAX_DELAY_MS);
});

// The counts live in the database, so every instance shares them: tested on a real, migrated database.
describe.each(unitDatabases())('SignInThrottle on $name', ({ open }) => {
  let database: UnitDb;
  let throttle: SignInThrottle;
  let n = 0;
  // Each test its own email, so their counts never meet.
  const email = () => `user${++n}@x.io`;
  const t0 = new Date('2026-01-01T00:00:00Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);
  const allowed = (d: ThrottleDecision) => d.allowed;

  beforeAll(async () => {
    database = await open();
    throttle = new SignInThrottle(database.client);
  });
  afterAll(async () => {
    await database?.drop();
  });

  test('one client gets FREE_FAILURES attempts at once, then must wait, doubling each time', async () => {
    const a = email();
    for (let i = 0; i < FREE_FAILURES; i++) expect(await throttle.attempt('1.1.1.1', a, t0)).toEqual({ allowed: true });
    expect(await throttle.attempt('1.1.1.1', a, t0)).toEqual({ allowed: false, retryAfterMs: 1_000 });
    expect((await throttle.attempt('1.1.1.1', a, at(999))).allowed).toBe(false);
    expect((await throttle.attempt('1.1.1.1', a, at(1_000))).allowed).toBe(true);
    expect(await throttle.attempt('1.1.1.1', a, at(1_000))).toEqual({ allowed: false, retryAfterMs: 2_000 });
    expect((await throttle.attempt('1.1.1.1', a, at(3_000))).allowed).toBe(true);
    expect(await throttle.attempt('1.1.1.1', a, at(3_000))).toEqual({ allowed: false, retryAfterMs: 4_000 });
  });

  test('parallel attempts are each counted: of 40 at the same instant only the free ones pass', async () => {
    const a = email();
    const decisions = await Promise.all(Array.from({ length: 40 }, () => throttle.attempt('1.1.1.1', a, t0)));
    expect(decisions.filter(allowed)).toHaveLength(FREE_FAILURES);
  });

  test('two instances on one database share the counts', async () => {
    const a = email();
    const other = new SignInThrottle(database.client);
    const decisions = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? throttle : other).attempt('1.1.1.1', a, t0)));
    expect(decisions.filter(allowed)).toHaveLength(FREE_FAILURES);
  });

  test("a stranger's failures do not lock out the admin on another IP", async () => {
    const a = email();
    for (let i = 0; i < 50; i++) await throttle.attempt('6.6.6.6', a, at(i * MAX_DELAY_MS));
    expect((await throttle.attempt('6.6.6.6', a, at(50 * MAX_DELAY_MS - 1))).allowed).toBe(false);
    expect((await throttle.attempt('10.0.0.2', a, at(50 * MAX_DELAY_MS - 1))).allowed).toBe(true);
  });

  test('a success clears that client only', async () => {
    const a = email();
    for (let i = 0; i < FREE_FAILURES + 1; i++) {
      await throttle.attempt('1.1.1.1', a, t0);
      await throttle.attempt('2.2.2.2', a, t0);
    }
    await throttle.succeeded('1.1.1.1', a);
    expect((await throttle.attempt('1.1.1.1', a, t0)).allowed).toBe(true);
    expect((await throttle.attempt('2.2.2.2', a, t0)).allowed).toBe(false);
  });

  test('many IPs together hit the per-email cap until the window moves on', async () => {
    const a = email();
    for (let i = 0; i < GLOBAL_MAX_FAILURES; i++) expect((await throttle.attempt(`10.0.${i >> 8}.${i & 255}`, a, at(i))).allowed).toBe(true);
    const blocked = await throttle.attempt('192.168.1.1', a, at(GLOBAL_MAX_FAILURES));
    expect(blocked).toEqual({ allowed: false, retryAfterMs: GLOBAL_WINDOW_MS - GLOBAL_MAX_FAILURES });
    expect((await throttle.attempt('192.168.1.1', email(), at(GLOBAL_MAX_FAILURES))).allowed).toBe(true);
    expect((await throttle.attempt('192.168.1.1', a, at(GLOBAL_WINDOW_MS + 1))).allowed).toBe(true);
  });

  test('a client refused by the email cap is not counted; a count a day old is forgotten and its row deleted', async () => {
    const a = email();
    for (let i = 0; i < GLOBAL_MAX_FAILURES; i++) await throttle.attempt(`10.1.${i >> 8}.${i & 255}`, a, t0);
    // Refused by the email's cap: the client's own count must not move (its free attempts stay free).
    for (let i = 0; i < 3; i++) expect((await throttle.attempt('172.16.0.1', a, t0)).allowed).toBe(false);
    const later = at(GLOBAL_WINDOW_MS);
    for (let i = 0; i < FREE_FAILURES; i++) expect((await throttle.attempt('172.16.0.1', a, later)).allowed).toBe(true);
    expect((await throttle.attempt('172.16.0.1', a, later)).allowed).toBe(false);
    const dayLater = at(GLOBAL_WINDOW_MS + FORGET_AFTER_MS + 1);
    expect((await throttle.attempt('172.16.0.1', a, dayLater)).allowed).toBe(true);
    const left = await database.client.$queryRaw<{ n: number | bigint }[]>`SELECT COUNT(*) AS n FROM "SignInThrottle" WHERE "key" LIKE ${`%${a}`}`;
    // The 100 clients from t0 are gone; this client and the email remain.
    expect(Number(left[0].n)).toBe(2);
  });
});
