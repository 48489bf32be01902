// The counters a reservation holds its estimate on, as stored in Reservation.holds.
import type { Hold } from './counters';
import { jsonCell } from '../json-cell';

/** Reservation.holds as read back: an array on PostgreSQL (jsonb), JSON text from raw SQLite queries. */
export function parseHolds(value: unknown): Hold[] {
  const parsed = jsonCell(value);
  if (!Array.isArray(parsed)) return [];
  return parsed.filter(
    (h): h is Hold => typeof h === 'object' && h !== null && typeof (h as Hold).budgetId === 'string' && typeof (h as Hold).windowStartMs === 'string',
  );
}
