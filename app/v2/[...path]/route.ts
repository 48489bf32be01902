import { errorResponse } from '@/lib/api/handler';
import { ApiError } from '@/lib/api/errors';

export const dynamic = 'force-dynamic';

// Any other /v2 path – a JSON 404 in the one error shape, not an HTML page
function notFound(req: Request) {
  return errorResponse(new ApiError('not_found', `No API route ${req.method} ${new URL(req.url).pathname}`));
}

export { notFound as GET, notFound as POST, notFound as PATCH, notFound as PUT, notFound as DELETE };
