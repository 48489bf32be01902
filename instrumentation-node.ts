import { bootstrap } from './lib/bootstrap';

export async function registerNode() {
  try {
    await bootstrap();
  } catch (err) {
    console.error('[tollbooth] start-up failed: is the database migrated and reachable?', err);
    // Exit rather than serve 500s from a half-started process.
    process.exit(1);
  }
}
