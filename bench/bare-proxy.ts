// The floor of the gateway bench (bench/gateway.ts): the least any Node proxy pays on this machine. It reads the
// request, forwards it to the provider on a kept-alive undici pool (as Tollbooth does) and sends the reply back —
// no authentication, no parsing, no budget, no usage. Run as a forked child, like bench/fake-provider.ts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

export const BARE_PROXY_FLAG = '--bare-proxy-child';

export async function startBareProxy(providerUrl: string): Promise<string> {
  const upstream = new URL(providerUrl);
  const pool = new Pool(upstream.origin, { connections: 64 });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      pool
        .request({
          method: 'POST',
          path: `${upstream.pathname}/chat/completions`,
          headers: { 'content-type': 'application/json', authorization: req.headers.authorization ?? '' },
          body: Buffer.concat(chunks),
        })
        .then(async ({ statusCode, headers, body }) => {
          const reply = Buffer.from(await body.arrayBuffer());
          res.writeHead(statusCode, { 'content-type': String(headers['content-type'] ?? 'application/json') }).end(reply);
        })
        .catch(() => res.writeHead(502).end());
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

if (process.argv.includes(BARE_PROXY_FLAG) && process.send) {
  const providerUrl = process.argv[process.argv.indexOf(BARE_PROXY_FLAG) + 1];
  process.send({ url: await startBareProxy(providerUrl) });
  process.on('disconnect', () => process.exit(0));
}
