import 'server-only';
import { registerSettlementBarrier, type Excess, type HeldExcess } from '../budgets/admission';
import { counterKey } from '../budgets/counters';
import { ingestUsage, type UsageSource } from './service';
import type { UsageRecord } from './schema';
import { log } from '../log';
import { ApiError } from '../api/errors';

// Usage recorded after the answer is sent: calls that end close together are written in one batch
// (one transaction), while their reservations keep the budgets exact in the meantime.

/** A queued record, or the function that makes it when its batch is written. */
type Item = { workspaceId: string; record: UsageRecord | (() => UsageRecord); now: Date; source: UsageSource; seq: number; budgetIds: string[]; excess?: HeldExcess };
type Waiter = { seq: number; resolve: () => void };
type RecorderState = {
  queue: Item[];
  queued: number;
  done: number;
  running: Promise<void> | null;
  waiters: Waiter[];
  /** Ends the current wait for more calls (someone waits for what is queued). */
  hurry: (() => void) | null;
  /** flushUsage calls under way: the queue is written without waiting for more calls. */
  flushing: number;
  /** Budget id → the last queued record that settles a hold on it. */
  lastSeqByBudget: Map<string, number>;
  /** Budget window (counterKey) → what its queued records cost beyond their holds (excessOn). */
  excess: Map<string, Excess>;
};

const MAX_BATCH = 500;
/**
 * How long a batch waits for more calls to end (TOLLBOOTH_USAGE_BATCH_MS, default 100): the answer leaves first, and
 * calls one after another share a transaction. A transaction has a cost of its own, whatever it holds (on SQLite every
 * page it touches is written whole to the log): one call at a time, 100 ms gathers ~40 calls where 20 ms gathered ~8,
 * and the server's CPU per call fell by about a fifth on SQLite and a quarter on PostgreSQL (bench/README.md).
 * Nobody waits on it: a refused admission that needs the real spend of ended calls, and a server shutting down, have
 * the queue written at once.
 */
const BATCH_DELAY_MS = (() => {
  const ms = Number(process.env.TOLLBOOTH_USAGE_BATCH_MS || 100);
  return Number.isInteger(ms) && ms >= 0 ? ms : 100;
})();
// On globalThis: every route bundle of the server shares one queue.
const shared = globalThis as unknown as { tollboothRecorder?: RecorderState };
const state: RecorderState = (shared.tollboothRecorder ??= { queue: [], queued: 0, done: 0, running: null, waiters: [], hurry: null, flushing: 0, lastSeqByBudget: new Map(), excess: new Map() });
// A development server keeps globalThis across reloads: state made by an older version of this module lacks it.
state.excess ??= new Map();

export type RecordLaterOptions = {
  /** The budgets the call's reservation holds. */
  budgetIds?: string[];
  /**
   * What the record costs beyond the reservation's hold (null: nothing), and on which budget windows. Asked on the event
   * loop's next turn, once the answer has left (the record is made then, once): until its batch is written, admissions
   * in this process count the excess on those windows (excessOn), so the next call is decided on the real spend.
   */
  overrun?: (record: UsageRecord) => HeldExcess | null;
  source?: UsageSource;
};

/**
 * Queues a finished call for recording. Never throws. `record` may be a function that makes the record: it is called
 * when the batch is written (or when `overrun` asks for it, first), off the call's path.
 */
export function recordUsageLater(workspaceId: string, record: UsageRecord | (() => UsageRecord), now: Date, options: RecordLaterOptions = {}): void {
  const { budgetIds = [], overrun, source = 'gateway' } = options;
  const seq = ++state.queued;
  const item: Item = { workspaceId, record, now, source, seq, budgetIds };
  state.queue.push(item);
  for (const id of budgetIds) state.lastSeqByBudget.set(id, seq);
  if (overrun) setImmediate(() => countExcess(item, overrun));
  state.running ??= drain().finally(() => {
    state.running = null;
  });
}

/** Counts what `item`'s record costs beyond its hold on its budget windows, until its batch is written. */
function countExcess(item: Item, overrun: NonNullable<RecordLaterOptions['overrun']>): void {
  if (state.done >= item.seq) return;
  let found: HeldExcess | null = null;
  try {
    found = overrun(recordOf(item));
  } catch {
    // A record that cannot be made is refused by its batch (writeGroup logs it): there is no cost to count.
  }
  if (!found) return;
  item.excess = found;
  for (const key of found.windows) {
    const on = state.excess.get(key);
    state.excess.set(key, { micros: (on?.micros ?? 0n) + found.micros, tokens: (on?.tokens ?? 0) + found.tokens });
  }
}

/** Forgets the excess of a written record: the budget's counters have its real cost now. */
function forgetExcess(item: Item): void {
  if (!item.excess) return;
  for (const key of item.excess.windows) {
    const on = state.excess.get(key);
    if (!on) continue;
    const left = { micros: on.micros - item.excess.micros, tokens: on.tokens - item.excess.tokens };
    if (left.micros <= 0n && left.tokens <= 0) state.excess.delete(key);
    else state.excess.set(key, left);
  }
  item.excess = undefined;
}

/**
 * Resolves once every queued settlement of these budgets is written (null when none is queued), so a
 * refused admission can see the real spend of calls that already ended. Other budgets never wait.
 */
export function usageRecordedFor(budgetIds: string[]): Promise<void> | null {
  const target = Math.max(0, ...budgetIds.map((id) => state.lastSeqByBudget.get(id) ?? 0));
  if (state.done >= target) return null;
  const written = new Promise<void>((resolve) => state.waiters.push({ seq: target, resolve }));
  state.hurry?.();
  return written;
}

/**
 * What the queued records of calls that cost more than they held cost beyond their holds on a budget's window
 * (undefined when none, the common case): an admission counts it, since the window's counter still shows the holds.
 */
export function excessOn(budgetId: string, windowStartMs: bigint): Excess | undefined {
  return state.excess.size === 0 ? undefined : state.excess.get(counterKey(budgetId, windowStartMs));
}
registerSettlementBarrier({ recorded: usageRecordedFor, excessOn });

/** Resolves once everything queued so far is written (a shutting-down server waits for it). */
export async function flushUsage(): Promise<void> {
  state.flushing++;
  try {
    state.hurry?.();
    while (state.running) await state.running;
  } finally {
    state.flushing--;
  }
}

/** Waits up to BATCH_DELAY_MS for more calls to end, unless someone is waiting for the queue to be written. */
function gatherCalls(): Promise<void> {
  if (state.waiters.length > 0 || state.flushing > 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      state.hurry = null;
      resolve();
    };
    const timer = setTimeout(done, BATCH_DELAY_MS);
    state.hurry = done;
  });
}

async function drain() {
  while (state.queue.length > 0) {
    // Let the answer go out first, and calls ending meanwhile join the batch.
    await gatherCalls();
    const batch = state.queue.splice(0, MAX_BATCH);
    const groups = new Map<string, Item[]>();
    for (const item of batch) {
      const key = `${item.workspaceId}|${item.source}`;
      groups.set(key, [...(groups.get(key) ?? []), item]);
    }
    for (const items of groups.values()) await writeGroup(items);
    state.done = batch[batch.length - 1].seq;
    batch.forEach(forgetExcess);
    for (const [id, seq] of state.lastSeqByBudget) if (seq <= state.done) state.lastSeqByBudget.delete(id);
    state.waiters = state.waiters.filter((w) => (w.seq <= state.done ? (w.resolve(), false) : true));
  }
}

/** Tries for a record the database refused for a reason that may pass (a dropped connection, a lock timeout). */
const SINGLE_ATTEMPTS = 4;

/** An item's record, made once (by its function, if it was queued as one). */
function recordOf(item: Item): UsageRecord {
  if (typeof item.record === 'function') item.record = item.record();
  return item.record;
}

/** The event id of an item's record, for a log line (null if its record could not be made). */
const eventKeyOf = (item: Item): string | null => (typeof item.record === 'function' ? null : item.record.eventKey);

async function writeGroup(items: Item[], attempt = 1) {
  const { workspaceId, source } = items[0];
  const now = new Date(Math.max(...items.map((i) => i.now.getTime())));
  try {
    await ingestUsage(workspaceId, items.map(recordOf), now, source);
  } catch (err) {
    if (items.length > 1) {
      // One bad record must not lose the others: write them one by one.
      for (const item of items) await writeGroup([item]);
      return;
    }
    // A refusal (ApiError) will not change; anything else may be transient: try again after a pause.
    if (!(err instanceof ApiError) && attempt < SINGLE_ATTEMPTS) {
      log.warn({ err, event_id: eventKeyOf(items[0]), attempt }, 'recording a gateway call failed; trying again');
      await new Promise((resolve) => setTimeout(resolve, 100 * 4 ** (attempt - 1)));
      await writeGroup(items, attempt + 1);
      return;
    }
    // Its reservation expires and is released; the call is lost from the books, so say so loudly.
    log.error({ err, event_id: eventKeyOf(items[0]) }, 'could not record a gateway call');
  }
}
