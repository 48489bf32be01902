import { currentSession } from '@/lib/auth/session';
import { ApiError } from '@/lib/api/errors';
import { errorResponse, requestNow } from '@/lib/api/handler';
import { csvHeaders } from '@/lib/exports/csv';
import { identitiesCsv } from '@/lib/exports/identities';
import { parseListParams } from '@/components/identities/list-params';

// GET /identities/export – the Studio's identities list as CSV (same ?q=&tag=&sort=&order= as the page), every page.
export async function GET(req: Request) {
  const session = await currentSession();
  // A download cannot follow a redirect to the sign-in page: say so plainly.
  if (!session) return errorResponse(new ApiError('unauthorized', 'Sign in to the Studio to export identities'));
  const url = new URL(req.url);
  const raw: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    raw[key] = values.length > 1 ? values : values[0];
  }
  const params = parseListParams(raw);
  const now = requestNow(req);
  const body = identitiesCsv(session.workspaceId, { search: params.q || undefined, tags: params.tags, sort: params.sort, order: params.order }, now);
  return new Response(body, { headers: csvHeaders(`identities-${now.toISOString().slice(0, 10)}.csv`) });
}
