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

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}
