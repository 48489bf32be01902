import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { apiRoute, apiRouter } from './api-router';

const handler = (name: string) => Object.assign(async () => new Response(name), { handlerName: name });
const nameOf = (m: ReturnType<ReturnType<typeof apiRouter>>) => (m ? (m.handler as unknown as { handlerName: string }).handlerName : null);

const routes = [
  apiRoute('app/v2/[...path]/route.ts', { GET: handler('v2 catch-all'), POST: handler('v2 catch-all post') }),
  apiRoute('app/v2/identities/[identityId]/route.ts', { GET: handler('identity'), DELETE: handler('identity delete') }),
  apiRoute('app/v2/identities/route.ts', { GET: handler('identities'), POST: handler('identities post') }),
  apiRoute('app/v2/deployments/[deploymentId]/route.ts', { GET: handler('deployment') }),
  apiRoute('app/v2/deployments/invoke/route.ts', { POST: handler('invoke') }),
  apiRoute('app/v2/budgets/[budgetId]/reset-consumption/route.ts', { POST: handler('reset') }),
  apiRoute('app/(group)/api/health/route.ts', { GET: handler('health') }),
];
const route = apiRouter(routes);

describe('apiRouter', () => {
  test('static segments win over params, params over a catch-all, as in Next', () => {
    expect(nameOf(route('GET', '/v2/identities'))).toBe('identities');
    expect(nameOf(route('GET', '/v2/identities/abc'))).toBe('identity');
    expect(nameOf(route('POST', '/v2/deployments/invoke'))).toBe('invoke');
    expect(nameOf(route('GET', '/v2/deployments/invoke'))).toBeNull(); // the static route has no GET: Next's 405
    expect(nameOf(route('GET', '/v2/deployments/dep_1'))).toBe('deployment');
    expect(nameOf(route('POST', '/v2/budgets/b1/reset-consumption'))).toBe('reset');
    expect(nameOf(route('GET', '/v2/identities/abc/more'))).toBe('v2 catch-all');
    expect(nameOf(route('GET', '/v2/no-such-thing'))).toBe('v2 catch-all');
    expect(nameOf(route('GET', '/api/health'))).toBe('health');
  });

  test('params are decoded; a catch-all gets every segment', () => {
    expect(route('GET', '/v2/identities/user%40example.com%2Fx')?.params).toEqual({ identityId: 'user@example.com/x' });
    expect(route('GET', '/v2/a/b%20c')?.params).toEqual({ path: ['a', 'b c'] });
  });

  test('HEAD is answered by GET; a method the route does not export is left to Next', () => {
    expect(nameOf(route('HEAD', '/v2/identities'))).toBe('identities');
    expect(nameOf(route('DELETE', '/v2/identities/abc'))).toBe('identity delete');
    expect(route('PATCH', '/v2/identities/abc')).toBeNull();
    expect(route('OPTIONS', '/v2/identities')).toBeNull();
  });

  test("paths Next normalises or refuses are left to it, and paths no route names too", () => {
    for (const p of ['/v2/identities/', '/v2//identities', '/v2/./identities', '/v2/identities/..', '/v2/identities/%E0%A4%A', 'v2/identities', '/v3/x', '/'])
      expect(route('GET', p), p).toBeNull();
  });

  test('a route file outside app/, or with an optional catch-all, is refused', () => {
    expect(() => apiRoute('lib/x/route.ts', {})).toThrow(/not a route file/);
    expect(() => apiRoute('app/v2/[[...x]]/route.ts', {})).toThrow(/optional catch-all/);
  });
});

describe('scripts/api-routes.ts', () => {
  const root = path.resolve(import.meta.dirname, '..', '..');
  const routeFiles = (dir: string): string[] =>
    fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) return routeFiles(rel);
      return e.name === 'route.ts' ? [rel] : [];
    });

  test('lists every API route file of app/ (one missing would be answered by Next, not lost)', () => {
    const table = fs.readFileSync(path.join(root, 'scripts', 'api-routes.ts'), 'utf8');
    const files = ['app/api', 'app/metrics', 'app/v2', 'app/v3'].flatMap(routeFiles).sort();
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      expect(table, file).toContain(`from '../${file.replace(/\.ts$/, '')}'`);
      expect(table, file).toContain(`apiRoute('${file}',`);
    }
  });
});
