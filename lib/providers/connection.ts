import 'server-only';
import { STATUS_CODES } from 'node:http';
import { fetch as upstreamFetch } from 'undici';
import type { ProviderKind } from './schema';
import { describeConnectionFailure } from '../http/connection-failure';

// "Test connection": GET {base_url}/models with the provider's key, as the gateway would call it.

export type ConnectionCheck = { ok: boolean; message: string };
export type ConnectionTarget = { kind: ProviderKind; baseUrl: string; apiKey: string | null };

export const CONNECTION_TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 3;

function headersFor(target: ConnectionTarget): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (!target.apiKey) return headers;
  headers.authorization = `Bearer ${target.apiKey}`;
  // Anthropic's own routes (GET /v1/models among them) authenticate with x-api-key.
  if (target.kind === 'anthropic') Object.assign(headers, { 'x-api-key': target.apiKey, 'anthropic-version': '2023-06-01' });
  return headers;
}

/** Calls `GET {baseUrl}/models` (10 s, redirects followed on the same origin only) and says how it went. */
export async function checkConnection(target: ConnectionTarget): Promise<ConnectionCheck> {
  const signal = AbortSignal.timeout(CONNECTION_TIMEOUT_MS);
  let url = new URL(`${target.baseUrl}/models`);
  const origin = url.origin;
  for (let hops = 0; ; hops++) {
    let res: Awaited<ReturnType<typeof upstreamFetch>>;
    try {
      // undici's own fetch, as the gateway uses; redirects by hand, so the key never goes to another host.
      res = await upstreamFetch(url, { method: 'GET', headers: headersFor(target), redirect: 'manual', signal });
    } catch (err) {
      return { ok: false, message: describeConnectionFailure(err, url, CONNECTION_TIMEOUT_MS) };
    }
    const status = `${res.status} ${res.statusText || STATUS_CODES[res.status] || ''}`.trim();
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel().catch(() => undefined);
      const next = new URL(location, url);
      if (next.origin !== origin) return { ok: false, message: `${status}: redirected to ${next.origin}, not followed (the key is only sent to ${origin})` };
      if (hops >= MAX_REDIRECTS) return { ok: false, message: `${status}: too many redirects` };
      url = next;
      continue;
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      return { ok: false, message: `${status}, then ${describeConnectionFailure(err, url, CONNECTION_TIMEOUT_MS)}` };
    }
    if (!res.ok) {
      const detail = upstreamMessage(text, target.apiKey);
      return { ok: false, message: detail ? `${status}: ${detail}` : status };
    }
    const models = modelCount(text);
    return { ok: true, message: models === null ? status : `${status}, ${models} ${models === 1 ? 'model' : 'models'}` };
  }
}

function modelCount(text: string): number | null {
  try {
    const body = JSON.parse(text) as { data?: unknown; models?: unknown };
    if (Array.isArray(body.data)) return body.data.length;
    if (Array.isArray(body.models)) return body.models.length;
  } catch {
    // Not JSON: reachable all the same.
  }
  return null;
}

/** The provider's own error message (OpenAI style), short, without the key even if the provider echoed it. */
function upstreamMessage(text: string, apiKey: string | null): string | null {
  let message: unknown;
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    message = typeof body.error === 'string' ? body.error : (body.error?.message ?? body.message);
  } catch {
    return null;
  }
  if (typeof message !== 'string' || message.trim() === '') return null;
  let clean = message.replace(/\s+/g, ' ').trim();
  if (apiKey) clean = clean.split(apiKey).join('[key]');
  return clean.length > 200 ? `${clean.slice(0, 199)}…` : clean;
}

