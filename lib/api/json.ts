import { textResponse } from '../http/body';

// JSON responses: BigInt never reaches the wire (serializers convert), but guard anyway.

const replacer = (_key: string, value: unknown) => (typeof value === 'bigint' ? Number(value) : value);

/** The body's JSON: natively first (a replacer makes JSON.stringify call back into JavaScript for every value). */
function stringify(body: unknown): string {
  try {
    return JSON.stringify(body);
  } catch (err) {
    if (err instanceof TypeError) return JSON.stringify(body, replacer);
    throw err;
  }
}

/**
 * A JSON response, never cached and never compressed: `no-transform` also keeps Next's compression middleware off it.
 * Compressing a few kilobytes of JSON (a zlib stream set up and flushed per response) cost the server ~2.5–4.5 ms and
 * the client ~1.5 ms a request, more than the API's own work for a health check; the calls served beside Next
 * (scripts/server.ts) are not compressed either. The Studio's pages and assets still are.
 */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return textResponse(stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store, no-transform', ...headers },
  });
}
