import 'server-only';
import { z } from 'zod';
import { authenticateApiKey, authenticateApiKeyCached, type ApiPrincipal } from '../api-keys/service';
import { parseBearer } from '../api-keys/crypto';
import { ApiError, toApiError, validationError } from './errors';
import { json } from './json';

export type ApiContext<P> = {
  req: Request;
  params: P;
  principal: ApiPrincipal;
  workspaceId: string;
  /** Request time; tests may pin it with `x-tollbooth-now` when TOLLBOOTH_TEST_CLOCK=1. */
  now: Date;
};

type RouteArgs<P> = { params: Promise<P> };

const MAX_BODY_BYTES = 5 * 1024 * 1024;

export function requestNow(req: Request): Date {
  const pinned = req.headers.get('x-tollbooth-now');
  if (pinned && process.env.TOLLBOOTH_TEST_CLOCK === '1') {
    const date = new Date(pinned);
    if (!Number.isNaN(date.getTime())) return date;
  }
  return new Date();
}

type ApiOptions = {
  /** Trust a key checked in the last minute (hot call paths; admission re-checks revocation). */
  cachedAuth?: boolean;
};

/** Wraps a route handler: API-key auth, error mapping, one JSON error shape. */
export function withApi<P = Record<string, never>>(handler: (ctx: ApiContext<P>) => Promise<Response>, options: ApiOptions = {}) {
  const authenticate = options.cachedAuth ? authenticateApiKeyCached : authenticateApiKey;
  return async (req: Request, args: RouteArgs<P>): Promise<Response> => {
    try {
      const now = requestNow(req);
      const principal = await authenticate(parseBearer(req.headers.get('authorization')), now);
      const params = (await args?.params) ?? ({} as P);
      return await handler({ req, params, principal, workspaceId: principal.workspaceId, now });
    } catch (err) {
      return errorResponse(err);
    }
  };
}

export function errorResponse(err: unknown): Response {
  const apiError = toApiError(err);
  if (apiError.status >= 500) console.error('[tollbooth] unhandled error', err);
  return json(apiError.toBody(), apiError.status, apiError.headers);
}

/** Read and validate a JSON body; malformed JSON is a 400 naming the body. */
export async function parseBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.output<S>> {
  const text = await req.text();
  if (text.length > MAX_BODY_BYTES) throw new ApiError('payload_too_large', 'The request body is larger than 5 MB');
  let data: unknown = {};
  if (text.trim().length > 0) {
    try {
      data = JSON.parse(text);
    } catch {
      throw new ApiError('invalid_json', 'The request body is not valid JSON', [{ field: '(body)', issue: 'is not valid JSON' }]);
    }
  }
  const result = schema.safeParse(data);
  if (!result.success) throw validationError(result.error);
  return result.data;
}

/** Turn a query string into an object; keys listed in `arrays` collect every repeated value. */
export function queryObject(url: URL, arrays: readonly string[] = []): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    out[key] = arrays.includes(key) ? url.searchParams.getAll(key) : (url.searchParams.get(key) ?? '');
  }
  return out;
}

export function parseQuery<S extends z.ZodType>(req: Request, schema: S, arrays: readonly string[] = []): z.output<S> {
  const result = schema.safeParse(queryObject(new URL(req.url), arrays));
  if (!result.success) throw validationError(result.error);
  return result.data;
}

/** JSON 405 for the methods a route does not serve (Next answers those with an empty body). */
export function methodNotAllowed(allowed: readonly string[]) {
  return async (req: Request): Promise<Response> =>
    errorResponse(
      new ApiError('method_not_allowed', `${req.method} is not supported on this route; use ${allowed.join(' or ')}`, [], {
        allow: allowed.join(', '),
      }),
    );
}

/** Any path no route serves: a JSON 404 in the one error shape, not an HTML page. */
export async function noSuchRoute(req: Request): Promise<Response> {
  return errorResponse(new ApiError('not_found', `No API route ${req.method} ${new URL(req.url).pathname}`));
}
