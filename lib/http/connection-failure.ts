// What went wrong when an outgoing request (provider test, webhook delivery) got no HTTP answer, in words an admin
// reads in the Studio.

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed',
};

const isTimeout = (e: unknown) => e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');

/** "no answer within 10 s", "connection refused", "host not found: example.test", "TLS error (…)" … (at most 300 characters). */
export function describeConnectionFailure(err: unknown, url: URL, timeoutMs: number): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  if (isTimeout(err) || isTimeout(cause)) return `no answer within ${timeoutMs / 1000} s`;
  const code = String((cause as { code?: unknown })?.code ?? '');
  if (NETWORK_CODES[code]) return NETWORK_CODES[code];
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found: ${url.hostname}`;
  if (/CERT|TLS|SSL/.test(code)) return `TLS error (${code})`;
  return `could not connect${cause instanceof Error && cause.message ? ` (${cause.message})` : ''}`.slice(0, 300);
}
