import fs from 'node:fs';
import { describe, expect, test } from 'vitest';
import { NextRequest } from 'next/server';
import { config, proxy } from '../../proxy';

describe('the sign-in redirect (proxy.ts)', () => {
  test('gates every Studio page folder', () => {
    const folders = fs
      .readdirSync('app/(studio)', { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(folders.length).toBeGreaterThan(5);
    for (const folder of folders) expect(config.matcher).toContain(`/${folder}/:path*`);
  });

  test('remembers where the admin was going, query included', () => {
    const res = proxy(new NextRequest('http://localhost:3000/budgets?scope=model'));
    expect(res.status).toBe(307);
    const location = new URL(res.headers.get('location') as string);
    expect(location.pathname).toBe('/sign-in');
    expect(location.searchParams.get('next')).toBe('/budgets?scope=model');
  });
});
