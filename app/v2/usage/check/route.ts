import { assertKeyCanWrite, methodNotAllowed, withApi, parseBody } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { checkUsageSchema } from '@/lib/usage/schema';
import { checkCall } from '@/lib/budgets/check';
import { serializeBudgetStatus } from '@/lib/budgets/serialize';
import { microsToUsd } from '@/lib/money';

export const dynamic = 'force-dynamic';

// POST /v2/usage/check – before an LLM call: what is left (or 429), and with `reserve` an admission holding its estimate
export const POST = withApi(async ({ req, workspaceId, principal, now }) => {
  const input = await parseBody(req, checkUsageSchema);
  // A look at the budgets is a read; a reservation holds spend, which a read-only key may not.
  if (input.reserve) assertKeyCanWrite(principal);
  const { identity, externalId, statuses, reservation } = await checkCall(workspaceId, principal.keyId, input, now);
  const own = statuses.find((s) => s.scopeKind === 'identity') ?? statuses[0];
  return json({
    allowed: true,
    ...(identity ? { identity_id: identity.id } : {}),
    external_id: externalId,
    ...(reservation
      ? {
          reservation_id: reservation.id,
          reservation: {
            reservation_id: reservation.id,
            ...(reservation.costMicros !== null ? { amount: microsToUsd(reservation.costMicros) } : {}),
            tokens: reservation.tokens,
            expires_at: reservation.expiresAt.toISOString(),
          },
        }
      : {}),
    ...(own ? { budget: serializeBudgetStatus(own) } : {}),
    budgets: statuses.map(serializeBudgetStatus),
  });
}, { access: 'read' });

const notAllowed = methodNotAllowed(['POST']);
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
