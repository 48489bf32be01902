import { describe, expect, test } from 'vitest';
import { alertsOf, hasAlerts, reachedAlerts } from './rules';

const usd = (n: number) => BigInt(Math.round(n * 1_000_000));
const budget = (alerts: unknown, amountMicros: bigint | null = usd(10), tokenLimit: bigint | null = null) => ({ alerts, amountMicros, tokenLimit });

describe('budget alerts', () => {
  test('no alerts is decided without parsing', () => {
    expect(hasAlerts(budget(null))).toBe(false);
    expect(hasAlerts(budget([]))).toBe(false);
    expect(alertsOf(budget(null))).toEqual([]);
  });

  test('dimensions: explicit, or cost when the budget has an amount, else tokens; alerts without notifiers or limit are dropped', () => {
    const alerts = alertsOf(
      budget(
        [
          { threshold_percent: 80, notifier_ids: ['a'], dimension: 'BUDGET_ALERT_DIMENSION_COST' },
          { threshold_percent: 50, notifier_ids: ['b'] },
          { threshold_percent: 90, notifier_ids: ['c'], dimension: 'BUDGET_ALERT_DIMENSION_TOKENS' },
          { threshold_percent: 95, notifier_ids: [] },
          { threshold_percent: 80, notifier_ids: ['d'], dimension: 'BUDGET_ALERT_DIMENSION_UNSPECIFIED' },
        ],
        usd(10),
        1000n,
      ),
    );
    expect(alerts.map((a) => [a.key, a.notifierIds])).toEqual([
      ['cost:50', ['b']],
      ['cost:80', ['a', 'd']],
      ['tokens:90', ['c']],
    ]);
    expect(alertsOf(budget([{ threshold_percent: 50, notifier_ids: ['x'] }], null, 100n)).map((a) => a.key)).toEqual(['tokens:50']);
    expect(alertsOf(budget([{ threshold_percent: 50, notifier_ids: ['x'], dimension: 'BUDGET_ALERT_DIMENSION_TOKENS' }], usd(1), null))).toEqual([]);
  });

  test('a threshold is reached at exactly its percentage, in exact integers', () => {
    const limits = { amountMicros: usd(10), tokenLimit: 1000n };
    const alerts = alertsOf({ ...limits, alerts: [50, 100].map((t) => ({ threshold_percent: t, notifier_ids: ['n'] })).concat([{ threshold_percent: 75, notifier_ids: ['n'], dimension: 'BUDGET_ALERT_DIMENSION_TOKENS' } as never]) });
    expect(reachedAlerts(alerts, limits, { spentMicros: usd(4.999999), tokens: 0n })).toEqual([]);
    expect(reachedAlerts(alerts, limits, { spentMicros: usd(5), tokens: 749n })).toEqual([{ alert: alerts[0], consumed: 5, limit: 10, percent: 50 }]);
    const all = reachedAlerts(alerts, limits, { spentMicros: usd(12.34567), tokens: 750n });
    expect(all.map((r) => [r.alert.key, r.percent])).toEqual([
      ['cost:50', 123.45],
      ['tokens:75', 75],
      ['cost:100', 123.45],
    ]);
    expect(all[1]).toMatchObject({ consumed: 750, limit: 1000 });
  });
});
