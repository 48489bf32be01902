import { describe, expect, test } from 'vitest';
import { buildOpenApiDocument } from './openapi';

describe('OpenAPI document', () => {
  const doc = buildOpenApiDocument('http://localhost:3000');

  test('is OpenAPI 3.1 and lists every route', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths ?? {}).sort()).toEqual([
      '/v2/budgets',
      '/v2/budgets/{budget_id}',
      '/v2/budgets/{budget_id}/reset-consumption',
      '/v2/identities',
      '/v2/identities/{id}',
      '/v2/router/chat/completions',
      '/v2/usage',
      '/v2/usage/check',
    ]);
  });

  test('documents the usage event fields from the zod schema', () => {
    const schema = doc.components?.schemas?.UsageEvent as { properties: Record<string, unknown>; };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['event_id', 'external_id', 'model', 'input_tokens', 'output_tokens', 'cost', 'status']));
  });

  test('documents list query parameters including repeated tags', () => {
    const params = (doc.paths?.['/v2/identities']?.get?.parameters ?? []) as { name: string }[];
    expect(params.map((p) => p.name)).toEqual(expect.arrayContaining(['limit', 'starting_after', 'filter_by.tags', 'include_metrics', 'sort_by']));
  });
});
