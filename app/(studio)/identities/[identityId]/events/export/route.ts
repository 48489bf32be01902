import { currentSession } from '@/lib/auth/session';
import { ApiError } from '@/lib/api/errors';
import { errorResponse, requestNow } from '@/lib/api/handler';
import { getIdentity } from '@/lib/identities/service';
import { csvHeaders } from '@/lib/exports/csv';
import { identityEventsCsv } from '@/lib/exports/events';

type Params = { params: Promise<{ identityId: string }> };

// GET /identities/:id/events/export – every usage event of one identity as CSV, newest first.
export async function GET(req: Request, { params }: Params) {
  const session = await currentSession();
  if (!session) return errorResponse(new ApiError('unauthorized', 'Sign in to the Studio to export usage events'));
  const { identityId } = await params;
  const identity = await getIdentity(session.workspaceId, identityId);
  if (!identity) return errorResponse(new ApiError('not_found', `Identity ${identityId} not found`));
  const day = requestNow(req).toISOString().slice(0, 10);
  return new Response(identityEventsCsv(identity.id), { headers: csvHeaders(`usage-events-${identity.externalId}-${day}.csv`) });
}
