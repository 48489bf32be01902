// Slows password guessing: after MAX_FAILURES failed sign-ins for one email, wait out the window.
export const MAX_FAILURES = 10;
export const WINDOW_MS = 15 * 60_000;

export class SignInThrottle {
  private failures = new Map<string, number[]>();

  private recent(key: string, now: Date): number[] {
    const since = now.getTime() - WINDOW_MS;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }

  /** Milliseconds until another attempt is allowed; 0 when allowed now. */
  retryAfterMs(key: string, now: Date): number {
    const list = this.recent(key, now);
    if (list.length < MAX_FAILURES) return 0;
    return list[0] + WINDOW_MS - now.getTime();
  }

  recordFailure(key: string, now: Date): void {
    this.failures.set(key, [...this.recent(key, now), now.getTime()]);
  }

  clear(key: string): void {
    this.failures.delete(key);
  }
}
