import 'server-only';
import { db, type Tx } from '../db';

/** An identity addressed by `_id` or external id; an `_id` wins over an external id that looks the same. */
export async function findIdentityRow(client: Tx | typeof db, workspaceId: string, idOrExternalId: string) {
  const byId = await client.identity.findFirst({ where: { id: idOrExternalId, workspaceId } });
  return byId ?? client.identity.findUnique({ where: { workspaceId_externalId: { workspaceId, externalId: idOrExternalId } } });
}
