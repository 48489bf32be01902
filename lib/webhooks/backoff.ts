// When a failed webhook delivery is tried again: 10 s, 30 s, 2 min, 10 min, 30 min, 1 h, 3 h after each failure, then
// it is given up (8 attempts). The base (10 s) is TOLLBOOTH_WEBHOOK_RETRY_BASE_MS, so tests can run the schedule fast.

const STEPS = [1, 3, 12, 60, 180, 360, 1080];
export const MAX_ATTEMPTS = STEPS.length + 1;
export const DEFAULT_RETRY_BASE_MS = 10_000;

export function retryBaseMs(env: Record<string, string | undefined> = process.env): number {
  const ms = Number(env.TOLLBOOTH_WEBHOOK_RETRY_BASE_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_RETRY_BASE_MS;
}

/** The delay before the next try after `attempts` failed tries, or null when the message is given up. */
export function retryDelayMs(attempts: number, baseMs: number = DEFAULT_RETRY_BASE_MS): number | null {
  if (attempts < 1 || attempts >= MAX_ATTEMPTS) return null;
  return STEPS[attempts - 1] * baseMs;
}
