import 'server-only';
import { Prisma } from '../generated/prisma/client';
import { identitySearchSql } from './search';

/**
 * The identity lists' filters as conditions on identity `i` (the caller adds the workspace's): the search text
 * (identitySearchSql) and the tags (an identity with any of them); none without either.
 */
export async function identityFilters(workspaceId: string, opts: { search?: string; tags?: string[] }): Promise<Prisma.Sql[]> {
  const filters: Prisma.Sql[] = [];
  const search = await identitySearchSql(workspaceId, opts.search);
  if (search) filters.push(search);
  if (opts.tags && opts.tags.length > 0) {
    filters.push(Prisma.sql`EXISTS (SELECT 1 FROM "IdentityTag" t WHERE t."identityId" = i."id" AND t."tag" IN (${Prisma.join(opts.tags)}))`);
  }
  return filters;
}
