// Helpers shared by the integration tests: the official SDK client, raw fetch, unique ids, usage ingest.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { Orq } from '@orq-ai/node';

export const baseUrl = (): string => inject('baseUrl');
export const apiKey = (): string => inject('apiKey');

/** The official SDK pointed at the test server. */
export function sdk(key: string = apiKey()): Orq {
  return new Orq({ apiKey: key, serverURL: baseUrl() });
}

/** A short random suffix so every test works on its own identities in the shared database. */
export function uid(prefix = 'it'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/** Per-call SDK options that pin the server's clock (TOLLBOOTH_TEST_CLOCK=1). */
export const at = (iso: string) => ({ headers: { 'x-tollbooth-now': iso } });

export type Json = Record<string, unknown>;
export type RawResponse<T = Json> = { status: number; contentType: string; body: T; text: string };

type RawOptions = {
  /** A string is sent as-is (for malformed JSON); anything else is JSON-encoded. */
  body?: unknown;
  /** null sends no Authorization header. */
  key?: string | null;
  now?: string;
  headers?: Record<string, string>;
};

/** Raw HTTP call, for wire-level assertions and error cases the SDK refuses to send. */
export async function raw<T = Json>(method: string, path: string, opts: RawOptions = {}): Promise<RawResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  const key = opts.key === undefined ? apiKey() : opts.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  if (opts.now) headers['x-tollbooth-now'] = opts.now;
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${baseUrl()}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: parsed as T, text };
}

export type UsageEvent = {
  event_id?: string;
  request_id?: string;
  external_id?: string;
  identity_id?: string;
  timestamp?: string;
  provider?: string;
  model?: string;
  input_tokens?: number;
  output_tokens?: number;
  cost?: number;
  status?: 'success' | 'error';
  error_code?: string;
  latency_ms?: number;
  metadata?: Json;
  display_name?: string;
};

export type IngestItem = {
  event_id: string;
  id: string;
  identity_id: string;
  external_id: string;
  status: 'created' | 'duplicate';
  cost?: number;
  priced: boolean;
};

export type IngestResponse = { object: string; accepted: number; duplicates: number; data: IngestItem[] };

/** POST /v2/usage and insist on 200; returns the parsed body. */
export async function ingest(events: UsageEvent[], now?: string): Promise<IngestResponse> {
  const res = await raw<IngestResponse>('POST', '/v2/usage', { body: { events }, now });
  if (res.status !== 200) throw new Error(`POST /v2/usage answered ${res.status}: ${res.text}`);
  return res.body;
}

/** Event ids unique across the run. */
export const eventId = (label = 'ev') => uid(label);

export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

export type ErrorBody = { error: { code: string; message: string; details: { field: string; issue: string }[] } };
