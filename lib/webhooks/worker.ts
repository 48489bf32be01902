import 'server-only';
import { fetch as httpFetch } from 'undici';
import { db } from '../db';
import { log } from '../log';
import { decryptSigningSecret } from '../notifiers/secret';
import { retryBaseMs } from './backoff';
import { claimDueMessages, recordAttempt, type AttemptOutcome, type ClaimedMessage } from './outbox';
import { signedHeaders } from './sign';
import { describeConnectionFailure } from '../http/connection-failure';

// The outbox worker: about once a second it claims due messages, signs and POSTs each (10 s timeout), records the
// attempt and schedules a retry with backoff. One per process; messages survive restarts (they are rows).

export const SEND_TIMEOUT_MS = 10_000;

/** One POST of a signed message; redirects are not followed (the receiver must answer 2xx itself). */
export async function sendMessage(url: string, secret: string, messageId: string, payload: string): Promise<AttemptOutcome> {
  const started = performance.now();
  const durationMs = () => Math.max(0, Math.round(performance.now() - started));
  try {
    const res = await httpFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Tollbooth-Webhooks/1', ...signedHeaders(secret, messageId, new Date(), payload) },
      body: payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    await res.body?.cancel().catch(() => undefined);
    const ok = res.status >= 200 && res.status < 300;
    return { statusCode: res.status, error: ok ? null : `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`, durationMs: durationMs() };
  } catch (err) {
    return { statusCode: null, error: describeConnectionFailure(err, new URL(url), SEND_TIMEOUT_MS), durationMs: durationMs() };
  }
}

async function deliver(message: ClaimedMessage): Promise<void> {
  const attemptedAt = new Date();
  const notifier = await db.notifier.findUnique({ where: { id: message.notifierId } });
  let outcome: AttemptOutcome;
  if (!notifier) return; // deleted meanwhile: its messages went with it
  if (!notifier.isActive) outcome = { statusCode: null, error: 'the notifier is inactive', durationMs: 0 };
  else {
    try {
      const secret = await decryptSigningSecret(notifier.name, notifier.signingSecretEncrypted);
      outcome = await sendMessage(notifier.url, secret, message.id, message.payload);
    } catch (err) {
      outcome = { statusCode: null, error: err instanceof Error ? err.message.slice(0, 500) : String(err), durationMs: 0 };
    }
  }
  const status = await db.$transaction((tx) => recordAttempt(tx, message, outcome, attemptedAt, retryBaseMs()));
  const line = { messageId: message.id, notifierId: message.notifierId, status, statusCode: outcome.statusCode, error: outcome.error };
  if (status === 'failed') log.warn(line, 'webhook given up');
  else log.info(line, 'webhook attempt');
}

/** Claims and sends what is due now; resolves when those attempts are recorded. */
export async function deliverDueMessages(now: Date = new Date()): Promise<number> {
  const claimed = await claimDueMessages(db, now);
  await Promise.all(claimed.map((m) => deliver(m).catch((err) => log.error({ err, messageId: m.id }, 'webhook delivery failed'))));
  return claimed.length;
}

type Worker = { timer: ReturnType<typeof setTimeout> | undefined; running: Promise<void> | null; stopped: boolean };
// On globalThis: the Next bundle starts it, the server's listener bundle stops it.
const shared = globalThis as unknown as { tollboothWebhookWorker?: Worker };

const pollMs = () => {
  const ms = Number(process.env.TOLLBOOTH_WEBHOOK_POLL_MS);
  return Number.isFinite(ms) && ms >= 50 ? ms : 1_000;
};

/** Starts the outbox worker (once per process). */
export function startWebhookWorker(): void {
  if (shared.tollboothWebhookWorker) return;
  const worker: Worker = { timer: undefined, running: null, stopped: false };
  shared.tollboothWebhookWorker = worker;
  const tick = () => {
    if (worker.stopped) return;
    worker.running = (async () => {
      try {
        // A full batch: more may be due, go on at once.
        while (!worker.stopped && (await deliverDueMessages()) >= 10);
      } catch (err) {
        log.error({ err }, 'webhook outbox poll failed');
      }
    })();
    void worker.running.finally(() => {
      worker.running = null;
      if (!worker.stopped) {
        worker.timer = setTimeout(tick, pollMs());
        worker.timer.unref();
      }
    });
  };
  tick();
}

/** On shutdown: no new claims; waits for the attempts in flight to be recorded (at most the send timeout). */
export async function stopWebhookWorker(): Promise<void> {
  const worker = shared.tollboothWebhookWorker;
  if (!worker) return;
  worker.stopped = true;
  if (worker.timer) clearTimeout(worker.timer);
  await worker.running;
}
