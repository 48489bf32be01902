import 'server-only';
import { z } from 'zod';
import { authenticateApiKey, authenticateApiKeyCached, type ApiPrincipal } from '../api-keys/service';
import { parseBearer } from '../api-keys/crypto';
import { READ_ONLY_KEY_MESSAGE } from '../api-keys/scope';
import { ApiError, ClientClosedRequest, toApiError, validationError } from './errors';
import { json } from './json';
import { unstorableStringIssue } from './json-guard';
import { parseJsonBytes } from './json-body';
import { BODY_TOO_LARGE_DETAIL, BODY_TOO_LARGE_MESSAGE, MAX_BODY_BYTES, attachedBody, declaredTooLarge, readLimited, streamChunks } from '../http/body';
import { log } from '../log';

export type ApiContext<P> = {
  req: Request;
  params: P;
  principal: ApiPrincipal;
  workspaceId: string;
  /** Request time; tests may pin it with `x-tollbooth-now` when TOLLBOOTH_TEST_CLOCK=1. */
  now: Date;
};

type RouteArgs<P> = { params: Promise<P> };

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
  /**
   * What the route does, for read-only keys: GET and HEAD read, every other method writes (refused with 403). A POST
   * that only reads says `read`; if some of its bodies write, the route calls `assertKeyCanWrite` for those.
   */
  access?: 'read' | 'write';
};

/** A read-only API key may read and check, never change or spend: 403 naming the reason. */
export function assertKeyCanWrite(principal: ApiPrincipal): void {
  if (principal.scope === 'read_only') throw new ApiError('forbidden', READ_ONLY_KEY_MESSAGE);
}

const readsOnly = (req: Request, options: ApiOptions) => options.access === 'read' || (options.access === undefined && (req.method === 'GET' || req.method === 'HEAD'));

/** Wraps a route handler: API-key auth, error mapping, one JSON error shape. */
export function withApi<P = Record<string, never>>(handler: (ctx: ApiContext<P>) => Promise<Response>, options: ApiOptions = {}) {
  const authenticate = options.cachedAuth ? authenticateApiKeyCached : authenticateApiKey;
  return async (req: Request, args: RouteArgs<P>): Promise<Response> => {
    try {
      const now = requestNow(req);
      const principal = await authenticate(parseBearer(req.headers.get('authorization')), now);
      if (!readsOnly(req, options)) assertKeyCanWrite(principal);
      const params = (await args?.params) ?? ({} as P);
      checkParams(params);
      return await handler({ req, params, principal, workspaceId: principal.workspaceId, now });
    } catch (err) {
      return errorResponse(err);
    }
  };
}

export function errorResponse(err: unknown): Response {
  const apiError = toApiError(err);
  if (apiError.status >= 500 && !(err instanceof ClientClosedRequest)) log.error({ err }, 'unhandled error');
  else log.debug({ status: apiError.status, code: apiError.code, message: apiError.message }, 'request refused');
  return json(apiError.toBody(), apiError.status, apiError.headers);
}

/** Path parameters the databases could not store (a NUL from `%00`) are a 400 naming the parameter. */
function checkParams(params: unknown): void {
  if (typeof params !== 'object' || params === null) return;
  for (const [name, value] of Object.entries(params)) {
    const issue = typeof value === 'string' ? unstorableStringIssue(value) : null;
    if (issue) throw new ApiError('invalid_request', `Invalid ${name}: ${issue}`, [{ field: name, issue }]);
  }
}

const tooLarge = () => new ApiError('payload_too_large', BODY_TOO_LARGE_MESSAGE, [BODY_TOO_LARGE_DETAIL]);

/** The body's bytes, read as a stream and cut off with 413 once it passes 5 MB. */
export async function readBodyBytes(req: Request): Promise<Uint8Array> {
  // Read already, and held to the same limit, by the Node listener.
  const attached = attachedBody(req);
  if (attached) return attached;
  if (declaredTooLarge(req.headers.get('content-length'))) throw tooLarge();
  if (!req.body) return new Uint8Array(0);
  const bytes = await readLimited(streamChunks(req.body), MAX_BODY_BYTES);
  if (bytes === null) throw tooLarge();
  return bytes;
}

/** Read and validate a JSON body; malformed JSON is a 400 naming the body, a hostile shape a 400 naming the field. */
export async function parseBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.output<S>> {
  return parseJsonBytes(await readBodyBytes(req), schema);
}

/** Turn a query string into an object; keys listed in `arrays` collect every repeated value. */
export function queryObject(url: URL, arrays: readonly string[] = []): Record<string, string | string[]> {
  const entries: [string, string | string[]][] = [];
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    for (const value of values) {
      const issue = unstorableStringIssue(value);
      if (issue) throw new ApiError('invalid_request', `Invalid ${key}: ${issue}`, [{ field: key, issue }]);
    }
    entries.push([key, arrays.includes(key) ? values : (values[0] ?? '')]);
  }
  // fromEntries defines each key as its own property: `?__proto__=…` cannot reach the prototype.
  return Object.fromEntries(entries);
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
