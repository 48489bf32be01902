// The body of POST /v2/deployments/invoke and /stream as the orq SDK sends it: get_config's fields plus
// the identity (PublicIdentity, `metadata` as a list), the call's metadata and thread.
import { z } from 'zod';
import { metadataSchema } from '../api/metadata';
import { publicIdentitySchema } from '../gateway/schema';
import { deploymentCallSchema } from './schema';

export const deploymentInvokeSchema = deploymentCallSchema
  .extend({
    stream: z.boolean({ error: 'must be true or false' }).optional(),
    identity: publicIdentitySchema.optional(),
    metadata: metadataSchema.optional(),
    thread: z.object({ id: z.string().trim().min(1, 'cannot be empty').max(255, 'must be at most 255 characters') }).loose().optional(),
  })
  .meta({ id: 'DeploymentInvokeRequest' });
export type DeploymentInvokeInput = z.output<typeof deploymentInvokeSchema>;
