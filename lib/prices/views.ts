import 'server-only';
import { db } from '../db';
import { callTarget } from '../budgets/scopes';

// The Studio's read model of prices: which models the workspace's unpriced usage is for.

export type UnpricedModel = { provider: string | null; model: string; events: number };

/** The models with the most unpriced usage events (provider split off "openai/gpt-4o"-style names). */
export async function listUnpricedModels(workspaceId: string, limit = 5): Promise<UnpricedModel[]> {
  const groups = await db.usageEvent.groupBy({
    by: ['provider', 'model'],
    where: { workspaceId, priced: false },
    _count: { _all: true },
    orderBy: { _count: { id: 'desc' } },
    take: limit,
  });
  return groups.map((g) => {
    const target = callTarget(g.provider, g.model);
    return { provider: target.provider, model: target.model ?? '(no model)', events: g._count._all };
  });
}
