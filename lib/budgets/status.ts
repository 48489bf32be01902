// Pure budget arithmetic: how far a budget is used and whether it blocks requests.
import { microsToUsd } from '../money';
import type { BudgetPeriod } from '../time/periods';
import type { Prisma } from '../generated/prisma/client';

export type BudgetRow = Prisma.BudgetGetPayload<object>;

export type BudgetUsage = { costMicros: bigint; tokens: number; requests: number; since: Date; until: Date | null };

export type BudgetStatus = {
  budgetId: string;
  period: BudgetPeriod;
  limitUsd: number | null;
  tokenLimit: number | null;
  requestsPerMinute: number | null;
  consumedUsd: number;
  tokens: number;
  requests: number;
  /** Share of the USD limit used (of the token limit when there is no USD limit), in percent. */
  percent: number;
  exceeded: boolean;
  isActive: boolean;
  expiresAt: Date | null;
  windowStart: Date;
  resetsAt: Date | null;
  lastResetAt: Date | null;
};

/** Pure: how far a budget is used and whether it blocks requests. */
export function budgetStatus(budget: BudgetRow, usage: BudgetUsage, now: Date): BudgetStatus {
  const limitMicros = budget.amountMicros;
  const tokenLimit = budget.tokenLimit != null ? Number(budget.tokenLimit) : null;
  const percent =
    limitMicros != null && limitMicros > 0n
      ? (Number(usage.costMicros) / Number(limitMicros)) * 100
      : tokenLimit
        ? (usage.tokens / tokenLimit) * 100
        : 0;
  const live = budget.isActive && !(budget.expiresAt && budget.expiresAt <= now);
  const overCost = limitMicros != null && usage.costMicros >= limitMicros;
  const overTokens = tokenLimit != null && usage.tokens >= tokenLimit;
  return {
    budgetId: budget.id,
    period: budget.period as BudgetPeriod,
    limitUsd: limitMicros != null ? microsToUsd(limitMicros) : null,
    tokenLimit,
    requestsPerMinute: budget.requestsPerMinute,
    consumedUsd: microsToUsd(usage.costMicros),
    tokens: usage.tokens,
    requests: usage.requests,
    percent,
    exceeded: live && (overCost || overTokens),
    isActive: budget.isActive,
    expiresAt: budget.expiresAt,
    windowStart: usage.since,
    resetsAt: usage.until,
    lastResetAt: budget.lastResetAt,
  };
}

