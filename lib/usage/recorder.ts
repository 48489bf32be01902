import 'server-only';
import { registerSettlementBarrier } from '../budgets/admission';
import { ingestUsage, type UsageSource } from './service';
import type { UsageRecord } from './schema';

// Usage recorded after the answer is sent: calls that end close together are written in one batch
// (one transaction), while their reservations keep the budgets exact in the meantime.

type Item = { workspaceId: string; record: UsageRecord; now: Date; source: UsageSource; seq: number };
type Waiter = { seq: number; resolve: () => void };
type RecorderState = { queue: Item[]; queued: number; done: number; running: Promise<void> | null; waiters: Waiter[] };

const MAX_BATCH = 500;
// On globalThis: every route bundle of the server shares one queue.
const shared = globalThis as unknown as { tollboothRecorder?: RecorderState };
const state: RecorderState = (shared.tollboothRecorder ??= { queue: [], queued: 0, done: 0, running: null, waiters: [] });

/** Queues a finished call for recording; never throws (failures are logged). */
export function recordUsageLater(workspaceId: string, record: UsageRecord, now: Date, source: UsageSource = 'gateway'): void {
  state.queue.push({ workspaceId, record, now, source, seq: ++state.queued });
  state.running ??= drain().finally(() => {
    state.running = null;
  });
}

/** Resolves once everything queued before the call is written. */
export function usageRecorded(): Promise<void> {
  const target = state.queued;
  if (state.done >= target) return Promise.resolve();
  return new Promise((resolve) => state.waiters.push({ seq: target, resolve }));
}
registerSettlementBarrier(usageRecorded);

async function drain() {
  while (state.queue.length > 0) {
    // Let calls ending in the same moment join the batch.
    await new Promise((resolve) => setImmediate(resolve));
    const batch = state.queue.splice(0, MAX_BATCH);
    const groups = new Map<string, Item[]>();
    for (const item of batch) {
      const key = `${item.workspaceId}|${item.source}`;
      groups.set(key, [...(groups.get(key) ?? []), item]);
    }
    for (const items of groups.values()) await writeGroup(items);
    state.done = batch[batch.length - 1].seq;
    state.waiters = state.waiters.filter((w) => (w.seq <= state.done ? (w.resolve(), false) : true));
  }
}

async function writeGroup(items: Item[]) {
  const { workspaceId, source } = items[0];
  const now = new Date(Math.max(...items.map((i) => i.now.getTime())));
  try {
    await ingestUsage(workspaceId, items.map((i) => i.record), now, source);
  } catch (err) {
    if (items.length === 1) {
      // Its reservation expires and is released; the call is lost from the books, so say so loudly.
      console.error('[tollbooth] could not record a gateway call', items[0].record.eventKey, err);
      return;
    }
    // One bad record must not lose the others: write them one by one.
    for (const item of items) await writeGroup([item]);
  }
}
