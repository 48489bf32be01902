import 'server-only';
import { Prisma } from './generated/prisma/client';
import { dbProvider } from './db';

/** `column` contains `needle` literally (no LIKE wildcards), in either database's dialect. */
export const containsLiteral = (column: Prisma.Sql, needle: string): Prisma.Sql =>
  dbProvider === 'postgresql' ? Prisma.sql`strpos(${column}, ${needle}) > 0` : Prisma.sql`instr(${column}, ${needle}) > 0`;
