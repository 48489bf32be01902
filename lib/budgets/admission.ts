import 'server-only';
import { db, dbProvider, type Tx } from '../db';
import { metrics } from '../metrics/registry';
import { Prisma } from '../generated/prisma/client';
import { newId } from '../ids';
import { ApiError, fieldError } from '../api/errors';
import { isForeignKeyViolation, isWriteConflict } from '../db-errors';
import { positiveFromEnv } from '../config/env';
import { formatUsd, microsToUsd } from '../money';
import { configVersionSql, getWorkspaceConfig, holdConfigVersion, identityBudgetsOf, invalidateWorkspaceConfig, readConfigVersion, versionFrom, type BudgetRow, type WorkspaceConfig } from '../workspaces/config';
import {
  admitRate,
  admitRateSql,
  ensureCounter,
  ensureCounterSql,
  rateRetryAfterSeconds,
  releaseReservations,
  reserveOnCounter,
  reserveOnCounterSql,
  counterKey,
  type CounterHold,
  type Hold,
} from './counters';
import { budgetApplies, isLive, windowEndOf, windowStartOf, type CallScope } from './scopes';
import { scopeLabel } from './describe';
import { log } from '../log';
import { recordRefusal } from './refusals';
import { sqliteDirectReady, sqliteRead, sqliteTransaction } from '../sqlite-direct';
import { execute } from '../sql-exec';
import { pgRead, pgStatements } from '../pg-direct';
import type { BudgetPeriod } from '../time/periods';
import type { RefusedBudget, ScopeKind } from './schema';

// Admission control (reserve → settle), shared by the gateway, /v2/usage/check and every later call
// path. A call is admitted while every budget that applies has committed spend (settled + reserved)
// below its limit; its estimate is then held on each of them in the same transaction.

/**
 * What a call is expected to cost: null cost when its model has no price, null tokens when they are not known (a hold by
 * cost alone), each refused where a budget limits it.
 */
export type Estimate = { costMicros: bigint | null; tokens: number | null };

export type Admission = {
  /** Null when no budget applies (nothing is held). */
  reservationId: string | null;
  budgets: BudgetRow[];
  /** The call as admitted: its identity found again if the configuration was reloaded meanwhile (AdmitOptions.found). */
  call: CallScope;
  /** The workspace configuration the call was admitted under (its version checked by the admission). */
  config: WorkspaceConfig;
};

export type AdmitOptions = {
  source: 'gateway' | 'check';
  /** How long the hold lives if the call is never settled (a crashed process, a client that never reports). */
  ttlMs?: number;
  /**
   * How the call's identity was found: under which cached configuration, and how to find it again under a newer one —
   * it may have been deleted (and made anew, with other budgets), or its key's owner changed, on another instance.
   */
  found?: { under: WorkspaceConfig; again: (call: CallScope) => Promise<CallScope> };
  /** The request field an estimate without tokens came from, named when a token limit refuses it. */
  estimateField?: string;
};

/** What a call is estimated to cost under a configuration's prices (asked again when the configuration is reloaded). */
export type EstimateOf = Estimate | ((config: WorkspaceConfig) => Estimate);

const reservationTtlSeconds = positiveFromEnv('TOLLBOOTH_RESERVATION_TTL_SECONDS', 600);

/** Default lifetime of an unsettled reservation (TOLLBOOTH_RESERVATION_TTL_SECONDS, default 10 minutes). */
export const reservationTtlMs = (): number => reservationTtlSeconds() * 1000;

class StaleConfig extends Error {}

/** Tries of an admission whose configuration keeps changing under it (each reloads it), and the first with it held still. */
const MAX_ATTEMPTS = 10;
const HOLD_CONFIG_AFTER = 3;

export type Refusal = { budget: BudgetRow; kind: 'budget' | 'rate' };
class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super('refused');
  }
}

// Process-wide state on globalThis, shared by every route bundle of the server.
const shared = globalThis as unknown as { tollboothKnownCounters?: Set<string>; tollboothSettlementBarrier?: SettlementBarriers };

/** What ended calls cost beyond what their reservations held, still to be written to a budget window's counter. */
export type Excess = { micros: bigint; tokens: number };
/** What one ended call cost beyond its hold, and the budget windows (counterKey) it held. */
export type HeldExcess = Excess & { windows: string[] };

/** The settlements queued in this process, and what they cost beyond their holds. */
type SettlementBarriers = {
  /** Every queued settlement of the budgets. */
  recorded: (budgetIds: string[]) => Promise<void> | null;
  /** What queued settlements cost beyond their holds on a budget's window (undefined: nothing). */
  excessOn: (budgetId: string, windowStartMs: bigint) => Excess | undefined;
};
/** Counters known to exist in this process, so admission skips the insert-if-missing. */
const knownCounters = (shared.tollboothKnownCounters ??= new Set<string>());

/**
 * Settlements queued in this process (lib/usage/recorder.ts): a call refused while calls that already ended are still
 * being recorded waits for them and is tried once more, and what ended calls cost beyond their holds counts against a
 * budget until they are written — so sequential calls are decided on the real spend.
 */
export function registerSettlementBarrier(barriers: SettlementBarriers) {
  shared.tollboothSettlementBarrier = barriers;
}
const pendingSettlements = (budgetIds: string[]) => shared.tollboothSettlementBarrier?.recorded(budgetIds) ?? null;
const excessOn = (budgetId: string, windowStartMs: bigint) => shared.tollboothSettlementBarrier?.excessOn(budgetId, windowStartMs);

/** What a call under no budget is taken to cost: nothing is held, so nothing is estimated. */
const NOTHING_HELD: Estimate = { costMicros: null, tokens: 0 };

/** The live budgets that apply to a call, most specific scope first. */
export async function applicableBudgets(config: WorkspaceConfig, call: CallScope, now: Date): Promise<BudgetRow[]> {
  const own = call.identityId ? await identityBudgetsOf(config, call.identityId) : [];
  return [...own, ...config.sharedBudgets].filter((b) => isLive(b, now) && budgetApplies(b, call));
}

/** 422 for a call Tollbooth cannot price while a USD budget applies (unless the workspace allows it). */
function unpricedError(call: CallScope, budget: BudgetRow): ApiError {
  const model = call.provider && call.model ? `${call.provider}/${call.model}` : (call.model ?? '(none)');
  return fieldError(
    'unprocessable',
    'model',
    `"${model}" has no price, so its cost cannot be held against the USD budget ${budget.id} (${scopeLabel(budget)}). ` +
      `Add its price with POST /v2/prices {"provider","model","input_per_million","output_per_million"} or in the Studio under Prices, ` +
      'or allow unpriced calls in the workspace settings.',
  );
}

/** 422 for a hold whose tokens are unknown (a cost alone) where a budget limits tokens. */
function tokensUnknownError(budget: BudgetRow, field: string): ApiError {
  return fieldError(
    'unprocessable',
    field,
    `cannot hold tokens: the ${scopeLabel(budget)} budget ${budget.id} limits tokens. Reserve with provider, model, input_tokens and max_output_tokens instead`,
  );
}

/**
 * Admits a call or throws: 429 `budget_exceeded` / `rate_limited` naming the budget that refused, 422
 * for an unpriced model under a USD budget, 401 for a key revoked meanwhile. On admission the estimate
 * is held on every applicable budget's current window until `ingestUsage` settles the reservation or
 * it expires. A function for the estimate is called only when some budget applies.
 */
export async function admitCall(call: CallScope, estimateOf: EstimateOf, now: Date, options: AdmitOptions): Promise<Admission> {
  let waited = false;
  let foundUnder = options.found?.under;
  // The estimate of the configuration it was made under: a price changed elsewhere changes it.
  let estimated: { config: WorkspaceConfig; estimate: Estimate } | null = null;
  const estimateUnder = (config: WorkspaceConfig): Estimate => {
    if (typeof estimateOf !== 'function') return estimateOf;
    if (estimated?.config !== config) estimated = { config, estimate: estimateOf(config) };
    return estimated.estimate;
  };
  for (let attempt = 0; ; attempt++) {
    let budgets: BudgetRow[] = [];
    /** One try, under the cached configuration — or in `tx`, under the configuration as it is while `tx` holds it. */
    const admit = async (tx?: Tx): Promise<Admission> => {
      if (tx) {
        await holdConfigVersion(tx, call.workspaceId);
        invalidateWorkspaceConfig(call.workspaceId);
      }
      const config = await getWorkspaceConfig(call.workspaceId);
      if (options.found && config !== foundUnder) {
        foundUnder = config;
        call = await options.found.again(call);
      }
      budgets = (await applicableBudgets(config, call, now)).sort((a, b) => a.id.localeCompare(b.id));
      // Estimated only when a budget will hold it: counting a prompt's tokens is most of a call's estimate.
      const estimate = budgets.length === 0 ? NOTHING_HELD : estimateUnder(config);
      const usdBudget = estimate.costMicros === null && !config.allowUnpricedCalls ? budgets.find((b) => b.amountMicros !== null) : undefined;
      const tokenBudget = estimate.tokens === null ? budgets.find((b) => b.tokenLimit !== null) : undefined;
      if (usdBudget || tokenBudget) {
        // Refused on the cached budgets, prices and settings only once they are known to be current.
        await assertCurrent(config, call.workspaceId, tx);
        if (tokenBudget) throw tokensUnknownError(tokenBudget, options.estimateField ?? 'reserve');
        metrics.admissions.inc({ result: 'refused_unpriced' });
        throw unpricedError(call, usdBudget as BudgetRow);
      }
      const reservationId = await reserve(config, call, budgets, estimate, now, options, tx);
      return { reservationId, budgets, call, config };
    };
    try {
      // PostgreSQL, once the configuration kept changing under a few tries: it is held still while the call is admitted
      // (changes wait for the admission — a few milliseconds — instead of making it stale again).
      const admission = dbProvider === 'postgresql' && attempt >= HOLD_CONFIG_AFTER ? await pgStatements((tx) => admit(tx as Tx), { asyncCommit: true }) : await admit();
      metrics.admissions.inc({ result: 'admitted' });
      return admission;
    } catch (err) {
      // A configuration changed meanwhile — or, on PostgreSQL, a budget deleted while its counter was held (a foreign
      // key), or a deadlock with a writer of usage: reloaded and tried again.
      if ((err instanceof StaleConfig || isForeignKeyViolation(err) || isWriteConflict(err)) && attempt < MAX_ATTEMPTS) {
        invalidateWorkspaceConfig(call.workspaceId);
        await assertKeyUsable(call.apiKeyId);
        continue;
      }
      if (err instanceof Refused) {
        const pending = waited ? null : pendingSettlements(budgets.map((b) => b.id));
        if (pending) {
          // Calls that ended may have held more than they cost: retry once they are written.
          waited = true;
          await pending;
          continue;
        }
        metrics.admissions.inc({ result: err.refusal.kind === 'rate' ? 'refused_rate' : 'refused_budget' });
        await recordRefusal(call, err.refusal.budget, err.refusal.kind, now);
        throw await refusalError(err.refusal, now);
      }
      throw err;
    }
  }
}

async function assertKeyUsable(apiKeyId: string | null) {
  if (!apiKeyId) return;
  const key = await db.apiKey.findUnique({ where: { id: apiKeyId }, select: { revokedAt: true } });
  if (!key || key.revokedAt) throw new ApiError('unauthorized', 'Invalid or revoked API key');
}

/**
 * The counter hold a budget takes for `estimate` in the window `now` falls in. What ended calls cost beyond their holds
 * and are still to be written (on this instance) is taken off the limits: the counter does not show it yet.
 */
function counterHold(budget: BudgetRow, estimate: Estimate, now: Date): CounterHold {
  const windowStartMs = BigInt(windowStartOf(budget, now).getTime());
  const excess = excessOn(budget.id, windowStartMs);
  return {
    budgetId: budget.id,
    windowStartMs,
    limitMicros: budget.amountMicros !== null && excess ? budget.amountMicros - excess.micros : budget.amountMicros,
    tokenLimit: budget.tokenLimit !== null && excess ? budget.tokenLimit - BigInt(excess.tokens) : budget.tokenLimit,
    estimateMicros: estimate.costMicros ?? 0n,
    estimateTokens: estimate.tokens ?? 0,
  };
}

/**
 * The reservation row of an admitted call, as `SELECT`able values (on PostgreSQL each cast: they may be read from a
 * `SELECT` with no column to give them a type); it expires on the server's clock, whatever clock the request was
 * admitted at. On SQLite the values as they are, in one list (no fragment per value to make and flatten).
 */
function reservationValuesSql(id: string, call: CallScope, estimate: Estimate, holds: Hold[], now: Date, options: AdmitOptions): Prisma.Sql {
  const expiresAtMs = BigInt(Date.now() + (options.ttlMs ?? reservationTtlMs()));
  const costMicros = estimate.costMicros ?? 0n;
  const tokens = BigInt(estimate.tokens ?? 0);
  if (dbProvider !== 'postgresql') {
    return Prisma.join([id, call.workspaceId, call.identityId, call.apiKeyId, call.provider, call.model, costMicros, tokens, JSON.stringify(holds), options.source, BigInt(now.getTime()), expiresAtMs]);
  }
  const text = (v: string | null) => Prisma.sql`${v}::text`;
  const int8 = (v: bigint) => Prisma.sql`${v}::bigint`;
  return Prisma.sql`${text(id)}, ${text(call.workspaceId)}, ${text(call.identityId)}, ${text(call.apiKeyId)}, ${text(call.provider)}, ${text(call.model)},
    ${int8(costMicros)}, ${int8(tokens)}, ${JSON.stringify(holds)}::jsonb, ${text(options.source)}, ${int8(BigInt(now.getTime()))}, ${int8(expiresAtMs)}`;
}

const RESERVATION_COLUMNS = Prisma.raw(
  '"id", "workspaceId", "identityId", "apiKeyId", "provider", "model", "estimateMicros", "estimateTokens", "holds", "source", "createdAtMs", "expiresAtMs"',
);

function reservationInsertSql(id: string, call: CallScope, estimate: Estimate, holds: Hold[], now: Date, options: AdmitOptions): Prisma.Sql {
  return Prisma.sql`INSERT INTO "Reservation" (${RESERVATION_COLUMNS}) VALUES (${reservationValuesSql(id, call, estimate, holds, now, options)})`;
}

/**
 * PostgreSQL, a call under one budget (no rate limit) whose window's counter exists: the version check, the hold and
 * the reservation row as one statement — atomic by itself, one round trip instead of a transaction's five (BEGIN, the
 * version, the hold, the row, COMMIT). The hold and the row are written only when the version is the cached one and
 * the budget has room; the answer says which was not so.
 */
function admitUnderOneBudgetSql(workspaceId: string, version: number, hold: CounterHold, reservation: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    WITH version AS (${configVersionSql(workspaceId)}),
      held AS (${reserveOnCounterSql(hold, Prisma.sql`AND (SELECT v FROM version) = ${version}`)} RETURNING 1),
      kept AS (INSERT INTO "Reservation" (${RESERVATION_COLUMNS}) SELECT ${reservation} FROM held RETURNING 1)
    SELECT (SELECT v FROM version) AS v, (SELECT count(*) FROM kept)::int AS held`;
}

/**
 * SQLite: a gateway call's admission commits on the event loop's next turn, once the call has gone to its provider
 * (lib/sqlite-direct.ts: the commit writes the log, ~0.07 ms, and the admissions of calls arriving together are one
 * commit). Should the commit fail, the call's holds are lost with it and the counters it made are forgotten. A usage
 * check's reservation is committed before its id is answered.
 */
const gatewayCommit = (options: AdmitOptions) => (options.source === 'gateway' ? { deferCommit: true, onLost: () => knownCounters.clear() } : {});

/**
 * Throws StaleConfig unless `config` is the workspace's configuration as stored now: read in `tx` when given (on its own
 * connection: another of the admissions' small pool may not be free while `tx` holds one), else readVersion.
 */
async function assertCurrent(config: WorkspaceConfig, workspaceId: string, tx?: Tx): Promise<void> {
  if ((tx ? await readConfigVersion(tx, workspaceId) : await readVersion(workspaceId)) !== config.version) throw new StaleConfig();
}

/** The workspace's configuration version as stored now, read the quickest way the database allows. */
async function readVersion(workspaceId: string): Promise<number | null> {
  if (dbProvider === 'sqlite' && sqliteDirectReady()) return sqliteRead((run) => versionFrom(run.first(configVersionSql(workspaceId))));
  if (dbProvider === 'postgresql') return versionFrom((await pgRead<{ v: number | bigint }>(configVersionSql(workspaceId), { prepared: true, asyncCommit: true }))[0]);
  return readConfigVersion(db, workspaceId);
}

/**
 * Checks the config version, holds the estimate on each budget's counter, checks each rate and writes the
 * reservation, in one transaction: on SQLite a synchronous one on the ORM's own connection with statements
 * prepared once (lib/sqlite-direct.ts); on PostgreSQL one statement for a call under one budget
 * (admitUnderOneBudgetSql), otherwise the same statements on a connection of the ORM's pool (lib/pg-direct.ts).
 */
async function reserve(config: WorkspaceConfig, call: CallScope, budgets: BudgetRow[], estimate: Estimate, now: Date, options: AdmitOptions, inTx?: Tx) {
  const direct = dbProvider === 'sqlite' && sqliteDirectReady();
  if (budgets.length === 0) {
    // Nothing to hold: only make sure no budget was added elsewhere since the cache was loaded.
    await assertCurrent(config, call.workspaceId, inTx);
    return null;
  }
  const holds = budgets.map((budget) => counterHold(budget, estimate, now));
  const created = holds.map((h) => counterKey(h.budgetId, h.windowStartMs)).filter((key) => !knownCounters.has(key));
  const id = `res_${newId()}`;
  const refusedAt = (i: number, kind: Refusal['kind']) => new Refused({ budget: budgets[i], kind });
  const held = holds.map((h) => ({ budgetId: h.budgetId, windowStartMs: h.windowStartMs.toString() }));
  if (direct) {
    await sqliteTransaction(
      (run) => {
        const staleConfig = () => versionFrom(run.first(configVersionSql(call.workspaceId))) !== config.version;
        // The version is read on its own only before a window's first counter is made (a budget deleted meanwhile has
        // none to make); otherwise the first hold checks it in its own statement, and it is read apart only to tell
        // a refusal from a stale configuration.
        const versionInHold = created.length === 0;
        if (!versionInHold && staleConfig()) throw new StaleConfig();
        holds.forEach((h, i) => {
          if (!knownCounters.has(counterKey(h.budgetId, h.windowStartMs))) run.execute(ensureCounterSql(h.budgetId, h.windowStartMs));
          const checksVersion = i === 0 && versionInHold;
          const andVersion = checksVersion ? Prisma.sql`AND (${configVersionSql(call.workspaceId)}) = ${config.version}` : Prisma.empty;
          if (run.execute(reserveOnCounterSql(h, andVersion)) === 1) return;
          if (checksVersion && staleConfig()) throw new StaleConfig();
          throw refusedAt(i, 'budget');
        });
        budgets.forEach((b, i) => {
          if (b.requestsPerMinute && run.execute(admitRateSql(b.id, b.requestsPerMinute, now.getTime())) !== 1) throw refusedAt(i, 'rate');
        });
      },
      // The reservation's row is made and written with the commit: only a settlement or a release (after the commit)
      // reads it.
      { ...gatewayCommit(options), atCommit: (run) => run.execute(reservationInsertSql(id, call, estimate, held, now, options)) },
    );
  } else if (dbProvider === 'postgresql' && !inTx && holds.length === 1 && !budgets[0].requestsPerMinute && created.length === 0) {
    const reservation = reservationValuesSql(id, call, estimate, held, now, options);
    const [row] = await pgRead<{ v: number | null; held: number }>(admitUnderOneBudgetSql(call.workspaceId, config.version, holds[0], reservation), {
      prepared: true,
      asyncCommit: true,
    });
    if (row.v === null || Number(row.v) !== config.version) throw new StaleConfig();
    // Not held: the budget is spent — or it was deleted or changed after the statement's snapshot (its row skipped).
    if (row.held !== 1) {
      await assertCurrent(config, call.workspaceId);
      throw refusedAt(0, 'budget');
    }
  } else {
    const statements = async (tx: Tx) => {
      await assertCurrent(config, call.workspaceId, tx);
      for (const [i, h] of holds.entries()) {
        if (!knownCounters.has(counterKey(h.budgetId, h.windowStartMs))) await ensureCounter(tx, h.budgetId, h.windowStartMs);
        if (await reserveOnCounter(tx, h)) continue;
        // Not held: spent — or the budget was deleted or changed since the version was read (its counter gone).
        await assertCurrent(config, call.workspaceId, tx);
        throw refusedAt(i, 'budget');
      }
      for (const [i, b] of budgets.entries()) {
        if (!b.requestsPerMinute || (await admitRate(tx, b.id, b.requestsPerMinute, now.getTime()))) continue;
        await assertCurrent(config, call.workspaceId, tx);
        throw refusedAt(i, 'rate');
      }
      await execute(tx, reservationInsertSql(id, call, estimate, held, now, options));
    };
    // In the caller's transaction (committed after this returns: the counters it made are not remembered); on PostgreSQL
    // otherwise straight on a connection of the pool (lib/pg-direct.ts) rather than in an ORM transaction.
    if (inTx) await statements(inTx);
    else if (dbProvider === 'postgresql') await pgStatements((tx) => statements(tx as Tx), { asyncCommit: true });
    else await db.$transaction(statements, { maxWait: 30_000, timeout: 30_000 });
  }
  if (!inTx) for (const key of created) knownCounters.add(key);
  return id;
}

/** Retry-After of a call refused only for what calls in flight hold on a budget. */
const IN_FLIGHT_RETRY_SECONDS = 1;

/**
 * The 429 for a refused call: the documented error body naming the budget, Retry-After (the window's reset, or a second
 * when calls in flight hold the rest) and X-RateLimit-* (X-RateLimit-Reset: the window's reset).
 */
export async function refusalError({ budget, kind }: Refusal, now: Date): Promise<ApiError> {
  const scope = { kind: budget.scopeKind as ScopeKind, target_id: budget.scopeTargetId };
  if (kind === 'rate') {
    const row = await db.budget.findUnique({ where: { id: budget.id }, select: { rateTatMs: true } });
    const limit = budget.requestsPerMinute as number;
    const retryAfter = rateRetryAfterSeconds(row?.rateTatMs ?? 0n, limit, now.getTime());
    return new ApiError(
      'rate_limited',
      `The ${scopeLabel(budget)} budget ${budget.id} allows ${limit} requests per minute; try again in ${retryAfter} s`,
      [{ field: 'budget', issue: `requests per minute limit ${limit} reached` }],
      { 'retry-after': String(retryAfter), 'x-ratelimit-limit': String(limit), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(retryAfter) },
      { budget: { budget_id: budget.id, scope, requests_per_minute: limit } satisfies RefusedBudget },
    );
  }
  const windowStart = windowStartOf(budget, now);
  const counter = await db.budgetCounter.findUnique({ where: { budgetId_windowStartMs: { budgetId: budget.id, windowStartMs: BigInt(windowStart.getTime()) } } });
  const spent = counter?.spentMicros ?? 0n;
  const reserved = counter?.reservedMicros ?? 0n;
  const tokens = (counter?.tokens ?? 0n) + (counter?.reservedTokens ?? 0n);
  const resetsAt = windowEndOf(budget, now);
  const overCost = budget.amountMicros !== null && spent + reserved >= budget.amountMicros;
  // Refused only for what calls in flight hold: there is room again once they settle (most in seconds), not at the reset.
  const heldOnly = overCost ? spent < (budget.amountMicros as bigint) : budget.tokenLimit !== null && (counter?.tokens ?? 0n) < budget.tokenLimit;
  const untilReset = resetsAt ? Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 1000)) : null;
  const retryAfter = heldOnly ? IN_FLIGHT_RETRY_SECONDS : untilReset;
  const used = overCost
    ? `${formatUsd(microsToUsd(spent))} spent and ${formatUsd(microsToUsd(reserved))} held by calls in flight, of ${formatUsd(microsToUsd(budget.amountMicros as bigint))}`
    : `${tokens} of ${budget.tokenLimit} tokens`;
  const limitHeader = overCost ? String(microsToUsd(budget.amountMicros as bigint)) : String(budget.tokenLimit);
  return new ApiError(
    'budget_exceeded',
    `The ${budget.period.replace('_', '-')} budget ${budget.id} (${scopeLabel(budget)}) is spent: ${used}` +
      (resetsAt ? `; it resets at ${resetsAt.toISOString()}` : ''),
    [{ field: 'budget', issue: `${scopeLabel(budget)} budget ${budget.id} is spent` }],
    {
      ...(retryAfter ? { 'retry-after': String(retryAfter) } : {}),
      ...(untilReset ? { 'x-ratelimit-reset': String(untilReset) } : {}),
      'x-ratelimit-limit': limitHeader,
      'x-ratelimit-remaining': '0',
    },
    {
      budget: {
        budget_id: budget.id,
        scope,
        period: budget.period as BudgetPeriod,
        ...(budget.amountMicros !== null ? { amount: microsToUsd(budget.amountMicros), consumed: microsToUsd(spent), reserved: microsToUsd(reserved) } : {}),
        ...(budget.tokenLimit !== null ? { token_limit: Number(budget.tokenLimit), tokens: Number(tokens) } : {}),
        ...(resetsAt ? { resets_at: resetsAt.toISOString() } : {}),
      } satisfies RefusedBudget,
    },
  );
}

/** Gives back the holds of a call that was admitted but never reached a usage record (e.g. the client left before the provider answered). */
export async function cancelReservation(workspaceId: string, reservationId: string): Promise<void> {
  await db.$transaction((tx) => releaseReservations(tx, [reservationId], workspaceId));
}

/**
 * Releases reservations past their expiry (left by a crashed process or a client that never
 * reported); each is released once, whichever instance gets there first. Settled spend is untouched.
 */
export async function releaseExpiredReservations(nowMs: number = Date.now()): Promise<number> {
  const expired = await db.reservation.findMany({ where: { expiresAtMs: { lte: BigInt(nowMs) } }, take: 500, orderBy: { expiresAtMs: 'asc' }, select: { id: true } });
  if (expired.length === 0) return 0;
  // Those a settlement (or another instance's sweep) is taking at this moment are left to it.
  return db.$transaction((tx) => releaseReservations(tx, expired.map((r) => r.id), undefined, { skipLocked: true }));
}

let sweeper: ReturnType<typeof setInterval> | undefined;

/** Starts the periodic release of expired reservations (once per process). */
export function startReservationSweeper(): void {
  if (sweeper) return;
  // Cheap (one indexed query) and frequent, so a short-lived hold is released soon after it expires.
  const every = 1_000;
  const sweep = () => releaseExpiredReservations().catch((err) => log.error({ err }, 'could not release expired reservations'));
  void sweep();
  sweeper = setInterval(sweep, every);
  sweeper.unref();
}
