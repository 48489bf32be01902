import { methodNotAllowed, parseQuery, withApi } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { auditFilterOf, listAuditQuerySchema } from '@/lib/audit/schema';
import { serializeAuditEntry } from '@/lib/audit/serialize';
import { listAuditEntries } from '@/lib/audit/views';

export const dynamic = 'force-dynamic';

// GET /v2/audit-log – who changed what, newest first; filters and cursor pagination as /v2/identities
export const GET = withApi(async ({ req, workspaceId }) => {
  const query = parseQuery(req, listAuditQuerySchema);
  const page = await listAuditEntries(workspaceId, auditFilterOf(query), { limit: query.limit, startingAfter: query.starting_after, endingBefore: query.ending_before });
  const hasMore = query.ending_before ? page.hasNewer : page.hasOlder;
  return json({ object: 'list', data: page.rows.map(serializeAuditEntry), has_more: hasMore });
});

const notAllowed = methodNotAllowed(['GET']);
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
