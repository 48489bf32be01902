import 'server-only';
import { cache } from 'react';
import { db } from '../db';
import { getIdentity } from './service';

/** The Studio's read of one identity, once per request: a page and its metadata share it. */
export const getStudioIdentity = cache((workspaceId: string, idOrExternalId: string) => getIdentity(workspaceId, idOrExternalId));

/**
 * How many of the identity's calls since `since` were stored unpriced (no price for their model): its budget counted
 * their requests and tokens but not their cost. On the events' (identityId, occurredAt) index.
 */
export async function countUnpricedCallsSince(identityId: string, since: Date): Promise<number> {
  return db.usageEvent.count({ where: { identityId, priced: false, occurredAt: { gte: since } } });
}
