import { microsToUsd } from '@/lib/money';
import type { DailyUsage } from '@/lib/usage/daily';
import type { ChartPoint } from './usage-charts';

/** Daily usage as UsageCharts plots it: the cost in USD, for drawing only. */
export const chartPoints = (days: DailyUsage[]): ChartPoint[] =>
  days.map((d) => ({ day: d.day, costUsd: microsToUsd(d.costMicros), requests: d.requests, tokens: d.tokens, errors: d.errors }));
