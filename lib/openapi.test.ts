import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildOpenApiDocument } from './openapi';
import { ERROR_CODES } from './api/errors';

/** Every API route on disk, as an OpenAPI path ("[budgetId]" → "{budget_id}"). */
function apiRoutes(dir = 'app/v2'): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return apiRoutes(full);
    if (entry.name !== 'route.ts' || full.includes('[...') || full.includes('openapi.json')) return [];
    return ['/' + path.dirname(full).replace(/^app\//, '').replace(/\[(\w+)\]/g, (_, name: string) => `{${name === 'identityId' ? 'id' : name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}}`)];
  });
}

describe('OpenAPI document', () => {
  const doc = buildOpenApiDocument('http://localhost:3000');

  test('is OpenAPI 3.1 and lists every route', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths ?? {}).sort()).toEqual([...apiRoutes('app/v2'), ...apiRoutes('app/v3')].sort());
    expect(Object.keys(doc.paths ?? {})).toEqual(expect.arrayContaining(['/v2/prices/{price_id}', '/v2/settings', '/v2/usage/check']));
  });

  test('documents the usage event fields from the zod schema', () => {
    const schema = doc.components?.schemas?.UsageEvent as { properties: Record<string, unknown>; };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['event_id', 'external_id', 'model', 'input_tokens', 'output_tokens', 'cost', 'status']));
  });

  test("documents the error body's code as the error table's codes", () => {
    const error = doc.components?.schemas?.Error as { properties: { error: { properties: { code: { enum: string[] } } } } };
    expect(error.properties.error.properties.code.enum.sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });

  test('names every shared schema (none left as a generated "__schemaN")', () => {
    const names = Object.keys(doc.components?.schemas ?? {});
    expect(names.filter((n) => n.startsWith('__'))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['Identity', 'IdentityBudget', 'Budget', 'BudgetStatus', 'CheckUsageResponse', 'IngestUsageResponse', 'Price', 'JsonValue']));
  });

  test('documents list query parameters including repeated tags', () => {
    const params = (doc.paths?.['/v2/identities']?.get?.parameters ?? []) as { name: string }[];
    expect(params.map((p) => p.name)).toEqual(expect.arrayContaining(['limit', 'starting_after', 'filter_by.tags', 'include_metrics', 'sort_by']));
  });
});
