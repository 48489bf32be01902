// Which client a sign-in comes from, for the throttle.
// TOLLBOOTH_TRUST_PROXY=1: behind a reverse proxy, the client is the last X-Forwarded-For address (the one the
// proxy appended). Otherwise the socket's address, which Next.js puts in X-Forwarded-For when the request has none.
export function clientIpFrom(headers: Headers, env: Record<string, string | undefined> = process.env): string {
  const forwarded = headers.get('x-forwarded-for') ?? '';
  const addresses = forwarded.split(',').map((a) => a.trim()).filter(Boolean);
  if (addresses.length === 0) return 'unknown';
  const trustProxy = env.TOLLBOOTH_TRUST_PROXY === '1' || env.TOLLBOOTH_TRUST_PROXY === 'true';
  return (trustProxy ? addresses[addresses.length - 1] : addresses[0]).slice(0, 64);
}
