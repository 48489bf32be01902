import 'server-only';
import { db } from '../db';
import { newWorkspaceId } from '../ids';

export const DEFAULT_WORKSPACE_SLUG = 'default';

let cachedDefaultId: string | undefined;

/** The default workspace (created on first start); every record belongs to a workspace. */
export async function ensureDefaultWorkspace(): Promise<string> {
  if (cachedDefaultId) return cachedDefaultId;
  const workspace = await db.workspace.upsert({
    where: { slug: DEFAULT_WORKSPACE_SLUG },
    create: { id: newWorkspaceId(), slug: DEFAULT_WORKSPACE_SLUG, name: 'Default workspace' },
    update: {},
  });
  cachedDefaultId = workspace.id;
  return workspace.id;
}
