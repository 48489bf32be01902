import 'server-only';
import { db } from '../db';
import { ApiError } from '../api/errors';
import { newId } from '../ids';
import { checkIdentityBudget } from '../budgets/service';
import { createIdentityTx } from '../identities/service';
import { ingestUsage } from '../usage/service';
import { usageEventSchema } from '../usage/schema';
import type { PublicIdentity } from './schema';

export type GatewayIdentity = { id: string; externalId: string };

const RATE_WINDOW_MS = 60_000;

/** The identity a call is made for: found by external id, or created on first use (source "gateway"). */
export async function ensureGatewayIdentity(workspaceId: string, identity: PublicIdentity): Promise<GatewayIdentity> {
  const find = () => db.identity.findUnique({ where: { workspaceId_externalId: { workspaceId, externalId: identity.id } }, select: { id: true, externalId: true } });
  const existing = await find();
  if (existing) return existing;
  const avatarUrl = identity.logo_url && /^https?:\/\//.test(identity.logo_url) ? identity.logo_url : undefined;
  const metadata = identity.metadata?.length ? Object.assign({}, ...identity.metadata) : undefined;
  try {
    const created = await db.$transaction((tx) =>
      createIdentityTx(
        tx,
        workspaceId,
        { external_id: identity.id, display_name: identity.display_name, email: identity.email, avatar_url: avatarUrl, tags: identity.tags, metadata },
        'gateway',
      ),
    );
    return { id: created.id, externalId: created.externalId };
  } catch (err) {
    // Created by a concurrent call in the meantime.
    const raced = await find();
    if (raced) return raced;
    throw err;
  }
}

/** Refuses the call (429) when the identity's budget is spent or its requests-per-minute limit is reached. */
export async function enforceLimits(workspaceId: string, identity: GatewayIdentity, now: Date): Promise<void> {
  const { status } = await checkIdentityBudget(workspaceId, identity.id, now);
  const limit = status?.isActive ? status.requestsPerMinute : null;
  if (!limit) return;
  const since = new Date(now.getTime() - RATE_WINDOW_MS);
  const recent = await db.usageEvent.findMany({
    where: { identityId: identity.id, occurredAt: { gt: since, lte: now } },
    orderBy: { occurredAt: 'asc' },
    select: { occurredAt: true },
    take: limit,
  });
  if (recent.length >= limit) {
    const retryAfter = Math.max(1, Math.ceil((recent[0].occurredAt.getTime() + RATE_WINDOW_MS - now.getTime()) / 1000));
    throw new ApiError('rate_limited', `Identity "${identity.externalId}" may make ${limit} requests per minute; try again in ${retryAfter} s`, [], {
      'retry-after': String(retryAfter),
    });
  }
}

export type CallRecord = {
  provider: string;
  model: string;
  requestId?: string;
  inputTokens: number;
  outputTokens: number;
  ok: boolean;
  errorCode?: string;
  latencyMs: number;
};

/** Records one forwarded call as a usage event (priced from the table), never failing the response. */
export async function recordCall(workspaceId: string, identity: GatewayIdentity, call: CallRecord, now: Date): Promise<void> {
  try {
    const event = usageEventSchema.parse({
      event_id: `gw_${newId()}`,
      request_id: call.requestId,
      identity_id: identity.id,
      timestamp: now.toISOString(),
      provider: call.provider,
      model: call.model,
      input_tokens: call.inputTokens,
      output_tokens: call.outputTokens,
      status: call.ok ? 'success' : 'error',
      error_code: call.errorCode,
      latency_ms: Math.round(call.latencyMs),
    });
    await ingestUsage(workspaceId, [event], now, 'gateway');
  } catch (err) {
    console.error('[tollbooth] could not record a gateway call', err);
  }
}

type OpenAiUsage = { prompt_tokens?: number; completion_tokens?: number };

/** Token counts of an OpenAI-style `usage` object (absent on some errors). */
export function tokensOf(usage: OpenAiUsage | null | undefined): { inputTokens: number; outputTokens: number } {
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.round(v) : 0);
  return { inputTokens: n(usage?.prompt_tokens), outputTokens: n(usage?.completion_tokens) };
}
