// Slows password guessing without letting a stranger lock the admin out:
// - per (client IP, email): FREE_FAILURES free failures, then exponential backoff (1 s, 2 s, 4 s … up to 15 min)
//   since that client's last failure; a success from the client clears its count;
// - per email, over all clients: at most GLOBAL_MAX_FAILURES in a GLOBAL_WINDOW_MS window (starting at the first
//   failure), so a distributed attack slows too.
// Attempts are counted *before* the password is checked, each by one conditional upsert (`… ON CONFLICT DO UPDATE
// … WHERE allowed RETURNING`), so parallel guesses cannot slip past: each is either counted or refused. The counts
// live in the database (SignInThrottle), so several instances behind a load balancer share them.
import 'server-only';
import type { Db, Tx } from '../db';
import { Prisma } from '../generated/prisma/client';

export const FREE_FAILURES = 5;
export const BASE_DELAY_MS = 1_000;
export const MAX_DELAY_MS = 15 * 60_000;
export const GLOBAL_MAX_FAILURES = 100;
export const GLOBAL_WINDOW_MS = 15 * 60_000;
/** A client's count is forgotten this long after its last failure. */
export const FORGET_AFTER_MS = 24 * 60 * 60_000;

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Wait required after `failures` counted failures: 0 for the free ones, then doubling up to the cap. */
export function backoffMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  const exponent = Math.min(failures - FREE_FAILURES, 30);
  return Math.min(BASE_DELAY_MS * 2 ** exponent, MAX_DELAY_MS);
}

/** backoffMs(column) in SQL: a CASE over the counts below the cap (both databases, no POWER needed). */
function backoffSql(column: Prisma.Sql): Prisma.Sql {
  const steps: Prisma.Sql[] = [];
  for (let failures = FREE_FAILURES; backoffMs(failures) < MAX_DELAY_MS; failures++) steps.push(Prisma.sql`WHEN ${Prisma.raw(String(failures))} THEN ${Prisma.raw(String(backoffMs(failures)))}`);
  return Prisma.sql`(CASE WHEN ${column} < ${Prisma.raw(String(FREE_FAILURES))} THEN 0 ELSE CASE ${column} ${Prisma.join(steps, ' ')} ELSE ${Prisma.raw(String(MAX_DELAY_MS))} END END)`;
}

const clientKey = (clientIp: string, email: string) => `client\n${clientIp}\n${email}`;
const emailKey = (email: string) => `email\n${email}`;

class Refused extends Error {}

type Row = { key: string; failures: number | bigint; lastAtMs: number | bigint | string };

export class SignInThrottle {
  constructor(private readonly client: Db) {}

  /**
   * Checks and counts one attempt atomically: when allowed, it is counted as a failure right away (a success
   * later calls `succeeded`). Refused attempts are not counted, so waiting out the delay is always enough.
   */
  async attempt(clientIp: string, email: string, now: Date): Promise<ThrottleDecision> {
    const t = BigInt(now.getTime());
    const ck = clientKey(clientIp, email);
    const ek = emailKey(email);
    try {
      await this.client.$transaction(async (tx) => {
        if (!(await countClient(tx, ck, t))) throw new Refused();
        // Over the email's cap: the transaction rolls the client's count back too.
        if (!(await countEmail(tx, ek, t))) throw new Refused();
      });
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
      return { allowed: false, retryAfterMs: await this.waitMs(ck, ek, Number(t)) };
    }
    // Idle rows go; cheap (indexed) and sign-ins are rare.
    await this.client.$executeRaw`DELETE FROM "SignInThrottle" WHERE "lastAtMs" < ${t - BigInt(FORGET_AFTER_MS)}`;
    return { allowed: true };
  }

  /** The password was right: this client's count is cleared and its attempt leaves the email's count. */
  async succeeded(clientIp: string, email: string): Promise<void> {
    await this.client.$transaction([
      this.client.$executeRaw`DELETE FROM "SignInThrottle" WHERE "key" = ${clientKey(clientIp, email)}`,
      this.client.$executeRaw`UPDATE "SignInThrottle" SET "failures" = "failures" - 1 WHERE "key" = ${emailKey(email)} AND "failures" > 0`,
    ]);
  }

  /** How long a refused client must wait: its own backoff or the email's window, whichever ends later. */
  private async waitMs(ck: string, ek: string, t: number): Promise<number> {
    const rows = await this.client.$queryRaw<Row[]>`SELECT "key", "failures", "lastAtMs" FROM "SignInThrottle" WHERE "key" IN (${ck}, ${ek})`;
    let wait = 0;
    for (const row of rows) {
      const failures = Number(row.failures);
      const lastAt = Number(row.lastAtMs);
      if (row.key === ck && t - lastAt <= FORGET_AFTER_MS) wait = Math.max(wait, lastAt + backoffMs(failures) - t);
      if (row.key === ek && failures >= GLOBAL_MAX_FAILURES) wait = Math.max(wait, lastAt + GLOBAL_WINDOW_MS - t);
    }
    // Another attempt may have moved the rows since the refusal: never answer "0 s".
    return Math.max(wait, 1);
  }
}

/** Counts a failure for the client when its backoff has passed (or its count was forgotten); false when refused. */
async function countClient(tx: Tx, key: string, t: bigint): Promise<boolean> {
  const last = Prisma.sql`"SignInThrottle"."lastAtMs"`;
  const failures = Prisma.sql`"SignInThrottle"."failures"`;
  const forgotten = Prisma.sql`${t} - ${last} > ${FORGET_AFTER_MS}`;
  const rows = await tx.$queryRaw<{ failures: number }[]>`
    INSERT INTO "SignInThrottle" ("key", "failures", "lastAtMs") VALUES (${key}, 1, ${t})
    ON CONFLICT ("key") DO UPDATE SET "failures" = CASE WHEN ${forgotten} THEN 1 ELSE ${failures} + 1 END, "lastAtMs" = ${t}
    WHERE ${forgotten} OR ${last} + ${backoffSql(failures)} <= ${t}
    RETURNING "failures"`;
  return rows.length === 1;
}

/** Counts a failure for the email while its window has room (a window past its end starts anew); false when refused. */
async function countEmail(tx: Tx, key: string, t: bigint): Promise<boolean> {
  const last = Prisma.sql`"SignInThrottle"."lastAtMs"`;
  const failures = Prisma.sql`"SignInThrottle"."failures"`;
  const over = Prisma.sql`${t} - ${last} >= ${GLOBAL_WINDOW_MS}`;
  const rows = await tx.$queryRaw<{ failures: number }[]>`
    INSERT INTO "SignInThrottle" ("key", "failures", "lastAtMs") VALUES (${key}, 1, ${t})
    ON CONFLICT ("key") DO UPDATE SET
      "failures" = CASE WHEN ${over} THEN 1 ELSE ${failures} + 1 END,
      "lastAtMs" = CASE WHEN ${over} THEN ${t} ELSE ${last} END
    WHERE ${over} OR ${failures} < ${GLOBAL_MAX_FAILURES}
    RETURNING "failures"`;
  return rows.length === 1;
}
