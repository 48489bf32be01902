import { json } from '@/lib/api/json';
import { buildOpenApiDocument } from '@/lib/openapi';

export const dynamic = 'force-dynamic';

let cached: ReturnType<typeof buildOpenApiDocument> | undefined;

// GET /v2/openapi.json – public API description, generated from the zod schemas
export async function GET(req: Request) {
  cached ??= buildOpenApiDocument();
  return json({ ...cached, servers: [{ url: new URL(req.url).origin }] });
}
