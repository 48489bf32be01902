// JSON responses: BigInt never reaches the wire (serializers convert), but guard anyway.

const replacer = (_key: string, value: unknown) => (typeof value === 'bigint' ? Number(value) : value);

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body, replacer), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}
