/**
 * Database errors by meaning rather than by Prisma code. Prisma's model queries report a unique
 * violation as P2002 and a write conflict or deadlock as P2034; a raw query (`$executeRaw`) reports
 * either as P2010 with the driver adapter's error as `meta.driverAdapterError.cause`.
 */
type AdapterCause = { kind?: unknown; originalCode?: unknown };
type PrismaLike = { code?: unknown; meta?: { driverAdapterError?: { cause?: AdapterCause } } };

/**
 * The driver adapter's error: under a raw query's P2010, or the adapter's DriverAdapterError itself, which an ORM query
 * inside an interactive transaction throws as it is (its `cause` is the same payload); undefined for any other error.
 */
const adapterCause = (err: unknown): AdapterCause | undefined => {
  const e = err as (PrismaLike & { name?: unknown; cause?: unknown }) | null;
  if (e?.name === 'DriverAdapterError') return e.cause && typeof e.cause === 'object' ? (e.cause as AdapterCause) : undefined;
  return e?.code === 'P2010' ? e.meta?.driverAdapterError?.cause : undefined;
};

// PostgreSQL: serialization failure and deadlock, which the adapter reports as plain `postgres` errors.
const CONFLICT_SQLSTATES = new Set(['40001', '40P01']);

export function isUniqueViolation(err: unknown): boolean {
  const code = (err as PrismaLike | null)?.code;
  // 23505: a statement sent straight on the pg connection (lib/pg-direct.ts) reports PostgreSQL's own code.
  return code === 'P2002' || code === '23505' || adapterCause(err)?.kind === 'UniqueConstraintViolation';
}

export function isWriteConflict(err: unknown): boolean {
  const code = (err as PrismaLike | null)?.code;
  if (code === 'P2034' || CONFLICT_SQLSTATES.has(String(code))) return true;
  const cause = adapterCause(err);
  return cause?.kind === 'TransactionWriteConflict' || CONFLICT_SQLSTATES.has(String(cause?.originalCode));
}

/**
 * A row that names one gone meanwhile (PostgreSQL 23503, SQLite SQLITE_CONSTRAINT_FOREIGNKEY), through the ORM (P2003,
 * or P2010 with the adapter's cause) or straight on the driver.
 */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = (err as PrismaLike | null)?.code;
  if (code === 'P2003' || code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return true;
  const cause = adapterCause(err);
  return cause?.kind === 'ForeignKeyConstraintViolation' || String(cause?.originalCode) === '23503';
}
