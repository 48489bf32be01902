// Slows password guessing without letting a stranger lock the admin out:
// - per (client IP, email): FREE_FAILURES free failures, then exponential backoff (1 s, 2 s, 4 s … up to 15 min)
//   since that client's last failure; a success from the client clears its count;
// - per email, over all clients: at most GLOBAL_MAX_FAILURES in GLOBAL_WINDOW_MS, so a distributed attack slows too.
// Attempts are counted *before* the password is checked, in one synchronous call (no await between check and count),
// so parallel guesses cannot slip past: each is either counted or refused.
// Kept in process memory: the Studio is one process per deployment; with several instances each keeps its own
// counts (the limits multiply by the number of instances, the backoff still applies per instance).
export const FREE_FAILURES = 5;
export const BASE_DELAY_MS = 1_000;
export const MAX_DELAY_MS = 15 * 60_000;
export const GLOBAL_MAX_FAILURES = 100;
export const GLOBAL_WINDOW_MS = 15 * 60_000;
/** A client's count is forgotten this long after its last failure. */
export const FORGET_AFTER_MS = 24 * 60 * 60_000;
/** Clients remembered at most; beyond that the least recently failed are dropped first. */
const MAX_CLIENTS = 10_000;

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

type ClientCount = { failures: number; lastAt: number };

/** Wait required after `failures` counted failures: 0 for the free ones, then doubling up to the cap. */
export function backoffMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  const exponent = Math.min(failures - FREE_FAILURES, 30);
  return Math.min(BASE_DELAY_MS * 2 ** exponent, MAX_DELAY_MS);
}

export class SignInThrottle {
  private clients = new Map<string, ClientCount>();
  private emails = new Map<string, number[]>();

  private static clientKey(clientIp: string, email: string) {
    return `${clientIp}\n${email}`;
  }

  private recentForEmail(email: string, now: number): number[] {
    const since = now - GLOBAL_WINDOW_MS;
    const list = (this.emails.get(email) ?? []).filter((t) => t > since);
    if (list.length === 0) this.emails.delete(email);
    else this.emails.set(email, list);
    return list;
  }

  /**
   * Checks and counts one attempt atomically: when allowed, it is counted as a failure right away (a success
   * later calls `succeeded`). Refused attempts are not counted, so waiting out the delay is always enough.
   */
  attempt(clientIp: string, email: string, now: Date): ThrottleDecision {
    const t = now.getTime();
    const key = SignInThrottle.clientKey(clientIp, email);
    let client = this.clients.get(key);
    if (client && t - client.lastAt > FORGET_AFTER_MS) {
      this.clients.delete(key);
      client = undefined;
    }
    const clientWait = client ? client.lastAt + backoffMs(client.failures) - t : 0;
    const recent = this.recentForEmail(email, t);
    const globalWait = recent.length >= GLOBAL_MAX_FAILURES ? recent[recent.length - GLOBAL_MAX_FAILURES] + GLOBAL_WINDOW_MS - t : 0;
    const wait = Math.max(clientWait, globalWait);
    if (wait > 0) return { allowed: false, retryAfterMs: wait };

    // Re-insert so the map stays ordered by last failure (oldest first) for eviction.
    this.clients.delete(key);
    this.clients.set(key, { failures: (client?.failures ?? 0) + 1, lastAt: t });
    if (this.clients.size > MAX_CLIENTS) {
      const oldest = this.clients.keys().next();
      if (!oldest.done) this.clients.delete(oldest.value);
    }
    recent.push(t);
    this.emails.set(email, recent);
    return { allowed: true };
  }

  /** The password was right: this client's count is cleared and its attempt leaves the email's count. */
  succeeded(clientIp: string, email: string): void {
    this.clients.delete(SignInThrottle.clientKey(clientIp, email));
    const list = this.emails.get(email);
    if (list && list.length > 0) list.pop();
  }
}
