import 'server-only';
import { cache } from 'react';
import { getIdentity } from './service';

/** The Studio's read of one identity, once per request: a page and its metadata share it. */
export const getStudioIdentity = cache((workspaceId: string, idOrExternalId: string) => getIdentity(workspaceId, idOrExternalId));
