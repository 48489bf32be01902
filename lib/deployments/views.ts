import 'server-only';
import { cache } from 'react';
import { db, dbProvider } from '../db';
import { Prisma } from '../generated/prisma/client';
import { containsLiteral } from '../sql';
import { addUtcDays } from '../time/periods';
import { lastUtcDays, type DailyUsage } from '../usage/daily';
import { metricsWindow } from '../usage/metrics';
import { findDeployment, toDeployment, type Deployment } from './service';
import { offsetPage, type NumberedPage, type Paging } from '../pagination/offset';

// The Studio's read model of deployments: the list with 30-day usage, a deployment's daily usage and its callers.
// Usage is read by deploymentId (index [deploymentId, occurredAt]); money stays in integer micro-USD.

export type DeploymentMetrics = { requests: number; errors: number; costMicros: bigint; tokens: number; unpricedRequests: number };

export const zeroDeploymentMetrics = (): DeploymentMetrics => ({ requests: 0, errors: 0, costMicros: 0n, tokens: 0, unpricedRequests: 0 });

/** A deployment by id or key, read once per request (metadata and page share it). */
export const getDeployment = cache((workspaceId: string, idOrKey: string) => findDeployment(workspaceId, idOrKey));

/** 30-day usage per deployment (ids of one workspace), in one grouped query over their usage events. */
export async function getDeploymentMetrics(deploymentIds: string[], now: Date): Promise<Map<string, DeploymentMetrics>> {
  const result = new Map<string, DeploymentMetrics>();
  if (deploymentIds.length === 0) return result;
  const { since, until } = metricsWindow(now);
  const groups = await db.usageEvent.groupBy({
    by: ['deploymentId', 'status'],
    where: { deploymentId: { in: deploymentIds }, occurredAt: { gte: since, lt: until } },
    _count: { _all: true, costMicros: true },
    _sum: { costMicros: true, totalTokens: true },
  });
  for (const g of groups) {
    if (!g.deploymentId) continue;
    const m = result.get(g.deploymentId) ?? zeroDeploymentMetrics();
    m.requests += g._count._all;
    if (g.status === 'error') m.errors += g._count._all;
    m.unpricedRequests += g._count._all - g._count.costMicros;
    m.costMicros += g._sum.costMicros ?? 0n;
    m.tokens += g._sum.totalTokens ?? 0;
    result.set(g.deploymentId, m);
  }
  return result;
}

export type DeploymentListRow = { deployment: Deployment; metrics: DeploymentMetrics };

/** Ids of the workspace's deployments whose key, model or description contains `query` (any case). */
async function searchDeploymentIds(workspaceId: string, query: string): Promise<string[]> {
  const needle = query.toLowerCase();
  const found = (column: Prisma.Sql) => containsLiteral(Prisma.sql`lower(${column})`, needle);
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Deployment" WHERE "workspaceId" = ${workspaceId} AND (
      ${found(Prisma.sql`"key"`)} OR ${found(Prisma.sql`"provider" || '/' || "model"`)} OR ${found(Prisma.sql`"description"`)})`;
  return rows.map((r) => r.id);
}

/** A Studio page of deployments, most recently changed first, each with its 30-day usage. */
export async function listDeploymentsPage(
  workspaceId: string,
  filter: { query?: string },
  paging: Paging,
  now: Date,
): Promise<NumberedPage<DeploymentListRow>> {
  const where: Prisma.DeploymentWhereInput = { workspaceId };
  if (filter.query) where.id = { in: await searchDeploymentIds(workspaceId, filter.query) };
  const total = await db.deployment.count({ where });
  const { page, pageCount, skip, take } = offsetPage(total, paging);
  const rows = await db.deployment.findMany({ where, orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }], skip, take });
  const metrics = await getDeploymentMetrics(
    rows.map((r) => r.id),
    now,
  );
  return {
    rows: rows.map((row) => ({ deployment: toDeployment(row), metrics: metrics.get(row.id) ?? zeroDeploymentMetrics() })),
    total,
    page,
    pageCount,
  };
}

export async function hasAnyDeployment(workspaceId: string): Promise<boolean> {
  return (await db.deployment.count({ where: { workspaceId }, take: 1 })) > 0;
}

type DayRow = { day: string; cost: string | null; requests: number | bigint; tokens: number | bigint | null; errors: number | bigint | null };

// The UTC day of an event: PostgreSQL keeps UTC timestamps, SQLite ISO text with an offset.
const eventDay = dbProvider === 'postgresql' ? Prisma.sql`to_char("occurredAt", 'YYYY-MM-DD')` : Prisma.sql`strftime('%Y-%m-%d', "occurredAt")`;

/** One point per UTC day for the last `days` days (zero-filled), oldest first. */
export async function getDeploymentDailyUsage(deploymentId: string, now: Date, days = 30): Promise<DailyUsage[]> {
  const { first, today, keys } = lastUtcDays(now, days);
  const rows = await db.$queryRaw<DayRow[]>`
    SELECT ${eventDay} AS "day", CAST(SUM(COALESCE("costMicros", 0)) AS TEXT) AS "cost", COUNT(*) AS "requests",
           SUM("totalTokens") AS "tokens", SUM(CASE WHEN "status" = 'error' THEN 1 ELSE 0 END) AS "errors"
      FROM "UsageEvent"
     WHERE "deploymentId" = ${deploymentId} AND "occurredAt" >= ${first} AND "occurredAt" < ${addUtcDays(today, 1)}
     GROUP BY 1`;
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return keys.map((day) => {
    const r = byDay.get(day);
    return {
      day,
      costMicros: r?.cost ? BigInt(r.cost) : 0n,
      requests: Number(r?.requests ?? 0),
      tokens: Number(r?.tokens ?? 0),
      errors: Number(r?.errors ?? 0),
    };
  });
}

export type DeploymentCaller = {
  identityId: string;
  externalId: string;
  displayName: string | null;
  requests: number;
  errors: number;
  tokens: number;
  costMicros: bigint;
};

type CallerRow = { identityId: string; cost: string | null; requests: number | bigint; tokens: number | bigint | null; errors: number | bigint | null };

/** The identities that called a deployment in the last 30 days, by spend (then requests). */
export async function listDeploymentCallers(workspaceId: string, deploymentId: string, now: Date, limit = 10): Promise<DeploymentCaller[]> {
  const { since, until } = metricsWindow(now);
  const rows = await db.$queryRaw<CallerRow[]>`
    SELECT "identityId", CAST(SUM(COALESCE("costMicros", 0)) AS TEXT) AS "cost", COUNT(*) AS "requests",
           SUM("totalTokens") AS "tokens", SUM(CASE WHEN "status" = 'error' THEN 1 ELSE 0 END) AS "errors"
      FROM "UsageEvent"
     WHERE "deploymentId" = ${deploymentId} AND "occurredAt" >= ${since} AND "occurredAt" < ${until}
     GROUP BY "identityId"
     ORDER BY SUM(COALESCE("costMicros", 0)) DESC, COUNT(*) DESC, "identityId"
     LIMIT ${limit}`;
  if (rows.length === 0) return [];
  const identities = await db.identity.findMany({
    where: { workspaceId, id: { in: rows.map((r) => r.identityId) } },
    select: { id: true, externalId: true, displayName: true },
  });
  const byId = new Map(identities.map((i) => [i.id, i]));
  return rows.flatMap((r) => {
    const identity = byId.get(r.identityId);
    if (!identity) return [];
    return [
      {
        identityId: identity.id,
        externalId: identity.externalId,
        displayName: identity.displayName,
        requests: Number(r.requests),
        errors: Number(r.errors ?? 0),
        tokens: Number(r.tokens ?? 0),
        costMicros: r.cost ? BigInt(r.cost) : 0n,
      },
    ];
  });
}

/** Router prefixes the model field suggests: the workspace's providers, those its deployments use, and well-known ones. */
const WELL_KNOWN_PROVIDERS = ['openai', 'anthropic', 'google', 'groq', 'mistral', 'deepseek', 'together', 'fireworks', 'openrouter'];

export async function listProviderNames(workspaceId: string): Promise<string[]> {
  const [providers, used] = await Promise.all([
    db.provider.findMany({ where: { workspaceId }, select: { name: true } }),
    db.deployment.findMany({ where: { workspaceId }, select: { provider: true }, distinct: ['provider'] }),
  ]);
  return [...new Set([...providers.map((p) => p.name), ...used.map((d) => d.provider), ...WELL_KNOWN_PROVIDERS])];
}
