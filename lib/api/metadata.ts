// Free-form metadata (identities, usage events, the gateway's identity, deployment calls): bounded, since an
// identity's metadata is sent with every list page and a usage event's is kept with every call.
import { z } from 'zod';

export const METADATA_LIMITS = {
  /** Keys at the top level. */
  maxKeys: 50,
  /** Characters of a key, at any level. */
  maxKeyLength: 64,
  /** Characters of a string value, at any level. */
  maxStringLength: 1_000,
  /** Levels of nesting: `{"a": 1}` is 1, `{"a": {"b": 1}}` is 2. */
  maxDepth: 8,
  /** UTF-8 bytes of the whole object as JSON. */
  maxBytes: 16 * 1024,
} as const;

const L = METADATA_LIMITS;

export const METADATA_DESCRIPTION =
  `Free-form JSON object: at most ${L.maxKeys} keys of at most ${L.maxKeyLength} characters, strings of at most ` +
  `${L.maxStringLength} characters, ${L.maxDepth} levels of nesting and ${L.maxBytes / 1024} KB as JSON`;

type Issue = { path: (string | number)[]; message: string };

/** The first limit `metadata` breaks, with the path inside it; walks at most `maxDepth` levels. */
export function metadataIssue(metadata: Record<string, unknown>): Issue | null {
  const keys = Object.keys(metadata);
  if (keys.length > L.maxKeys) return { path: [], message: `must have at most ${L.maxKeys} keys` };
  const stack: { value: unknown; path: (string | number)[]; depth: number }[] = [{ value: metadata, path: [], depth: 1 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop() as (typeof stack)[number];
    if (typeof value === 'string') {
      if (value.length > L.maxStringLength) return { path, message: `must be at most ${L.maxStringLength} characters` };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth > L.maxDepth) return { path, message: `is nested too deeply (metadata allows ${L.maxDepth} levels)` };
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, path: [...path, i], depth: depth + 1 }));
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      if (key.length > L.maxKeyLength) return { path: [...path, key], message: `key must be at most ${L.maxKeyLength} characters` };
      stack.push({ value: item, path: [...path, key], depth: depth + 1 });
    }
  }
  // Depth and strings are bounded now, so serialising is safe.
  if (Buffer.byteLength(JSON.stringify(metadata), 'utf8') > L.maxBytes) return { path: [], message: `must be at most ${L.maxBytes / 1024} KB as JSON` };
  return null;
}

/** A metadata object within METADATA_LIMITS (the OpenAPI document shows them). */
export const metadataSchema = z
  .record(z.string(), z.unknown(), { error: 'must be a JSON object' })
  .superRefine((metadata, ctx) => {
    const issue = metadataIssue(metadata);
    if (issue) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  })
  .meta({ description: METADATA_DESCRIPTION, maxProperties: L.maxKeys, propertyNames: { type: 'string', maxLength: L.maxKeyLength } });
