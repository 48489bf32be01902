// What the server compresses, over raw HTTP: the Studio's pages (HTML, scripts) are gzipped for a browser that asks;
// API JSON is not (a zlib stream per response cost more CPU than the API's own work for small answers; lib/api/json.ts).
import { describe, expect, it } from 'vitest';
import { apiKey, baseUrl } from './support/api';

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${baseUrl()}${path}`, { headers: { 'accept-encoding': 'gzip', ...headers }, redirect: 'manual' });

describe('response compression', () => {
  it('API JSON is sent as it is, even to a client that accepts gzip', async () => {
    for (const path of ['/api/health', '/v2/identities?limit=50&include_metrics=true', '/v2/budgets', '/v2/no-such-route']) {
      const res = await get(path, { authorization: `Bearer ${apiKey()}` });
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
      expect(res.headers.get('content-encoding'), path).toBeNull();
      expect(res.headers.get('cache-control'), path).toBe('no-store, no-transform');
      expect(typeof (await res.json())).toBe('object');
    }
  });

  it('the sign-in page and its scripts are gzipped for a client that accepts it, and plain for one that does not', async () => {
    const page = await get('/sign-in');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-encoding')).toBe('gzip');
    const html = await page.text();
    const script = /<script[^>]+src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeTruthy();
    const js = await get(script!);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-encoding')).toBe('gzip');
    const plain = await get('/sign-in', { 'accept-encoding': 'identity' });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toContain('<html');
  });
});
