import { noSuchRoute } from '@/lib/api/handler';

export const dynamic = 'force-dynamic';

// Any other /v3 path – a JSON 404 in the one error shape, not an HTML page
export { noSuchRoute as GET, noSuchRoute as POST, noSuchRoute as PATCH, noSuchRoute as PUT, noSuchRoute as DELETE };
