import { db } from '@/lib/db';
import { bootstrap } from '@/lib/bootstrap';
import { json } from '@/lib/api/json';
import { log } from '@/lib/log';

export const dynamic = 'force-dynamic';

// GET /api/health – 200 once the database is migrated, reachable and seeded
export async function GET() {
  try {
    await bootstrap();
    await db.workspace.count();
    return json({ status: 'ok' });
  } catch (err) {
    log.error({ err }, 'health check failed');
    return json({ status: 'unavailable' }, 503);
  }
}
