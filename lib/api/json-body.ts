import { z } from 'zod';
import { ApiError, validationError } from './errors';
import { checkJsonTree } from './json-guard';

// A request body's bytes to its schema's output, with the API's errors: malformed UTF-8 or JSON is a 400 naming the
// body, a hostile shape (depth, __proto__, unstorable strings) or a schema failure a 400 naming the field. No Next.js:
// the ingest worker thread (scripts/ingest-worker.ts) parses POST /v2/usage's bodies with it too.

/** One decoder for every body: decode() without streaming keeps no state between calls (making one costs ~2 µs). */
const utf8 = new TextDecoder('utf-8', { fatal: true });

const notJson = (issue: string) => new ApiError('invalid_json', 'The request body is not valid JSON', [{ field: '(body)', issue }]);

export function parseJsonBytes<S extends z.ZodType>(bytes: Uint8Array, schema: S): z.output<S> {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw notJson('is not valid UTF-8');
  }
  let data: unknown = {};
  if (text.trim().length > 0) {
    try {
      data = JSON.parse(text);
    } catch {
      throw notJson('is not valid JSON');
    }
  }
  const problem = checkJsonTree(data);
  if (problem) throw new ApiError('invalid_request', `Invalid ${problem.field}: ${problem.issue}`, [problem]);
  const result = schema.safeParse(data);
  if (!result.success) throw validationError(result.error);
  return result.data;
}
