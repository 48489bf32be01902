// One error class and one table of codes: services throw, only withApi (and server actions) catch.
import { z } from 'zod';
import { isUniqueViolation } from '../db-errors';

export const ERROR_CODES = {
  invalid_json: 400,
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  budget_exceeded: 429,
  rate_limited: 429,
  internal_error: 500,
  bad_gateway: 502,
  gateway_timeout: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
export type ErrorDetail = { field: string; issue: string };

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
    /** Extra members of the error object, e.g. the `budget` that refused a call. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }

  toBody() {
    return { error: { code: this.code, message: this.message, details: this.details, ...this.extra } };
  }
}

/** A call whose client went away before it was answered: nobody reads the 502, so it is no server error to log. */
export class ClientClosedRequest extends ApiError {
  constructor() {
    super('bad_gateway', 'The client closed the request');
  }
}

/** A zod issue path as a dotted field name: `limits.amount`, `events.3.model`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.') || '(body)';
}

/** The issues as details; a field the request's object does not have (a typo, mostly) is named itself. */
export function zodDetails(err: z.ZodError): ErrorDetail[] {
  return err.issues.flatMap((i) =>
    i.code === 'unrecognized_keys' ? i.keys.map((key) => ({ field: issuePath([...i.path, key]), issue: 'is not a known field' })) : [{ field: issuePath(i.path), issue: i.message }],
  );
}

export function validationError(err: z.ZodError): ApiError {
  const details = zodDetails(err);
  const first = details[0];
  const message = first ? `Invalid ${first.field}: ${first.issue}` : 'Invalid request';
  return new ApiError('invalid_request', message, details);
}

/** Single field failure, for rules checked in services rather than schemas. */
export function fieldError(code: ErrorCode, field: string, issue: string): ApiError {
  return new ApiError(code, `${field}: ${issue}`, [{ field, issue }]);
}

type PrismaLikeError = { code?: unknown; meta?: { target?: unknown; modelName?: unknown } };

/** Map anything thrown to an ApiError; unknown errors become a generic 500 (logged by the caller). */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof z.ZodError) return validationError(err);
  const prismaError = (err ?? {}) as PrismaLikeError;
  if (prismaError.code === 'P2025') return new ApiError('not_found', 'The record was not found');
  if (isUniqueViolation(err)) {
    const target = prismaError.meta?.target;
    const fields = Array.isArray(target) ? target.map(String) : typeof target === 'string' ? [target] : [];
    // Prisma names columns (externalId); the wire names fields (external_id).
    const field = fields.filter((f) => f !== 'workspaceId').map((f) => f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)).join(',') || 'id';
    return new ApiError('conflict', `A record with this ${field} already exists`, [
      { field, issue: 'already exists' },
    ]);
  }
  return new ApiError('internal_error', 'Something went wrong on our side. The error has been logged.');
}
