import { assertKeyCanWrite, methodNotAllowed, withApi, parseBody } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { checkCall } from '@/lib/budgets/check';
import { checkUsageSchema } from '@/lib/usage/schema';
import { serializeCheckResult } from '@/lib/usage/serialize';

export const dynamic = 'force-dynamic';

// POST /v2/usage/check – before an LLM call: what is left (or 429), and with `reserve` an admission holding its estimate
export const POST = withApi(async ({ req, workspaceId, principal, now }) => {
  const input = await parseBody(req, checkUsageSchema);
  // A look at the budgets is a read; a reservation holds spend, which a read-only key may not.
  if (input.reserve) assertKeyCanWrite(principal);
  return json(serializeCheckResult(await checkCall(workspaceId, principal.keyId, input, now)));
}, { access: 'read' });

const notAllowed = methodNotAllowed(['POST']);
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
