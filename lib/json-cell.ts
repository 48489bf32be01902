/**
 * A JSON column as a raw query returns it: already parsed on PostgreSQL (json/jsonb), its text on SQLite. For columns
 * that hold objects or arrays (a JSON string value would be parsed again).
 */
export const jsonCell = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);
