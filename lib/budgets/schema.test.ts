import { describe, expect, it } from 'vitest';
import { createBudgetSchema, toBudgetChange, toNewBudget, updateBudgetSchema } from './schema';

const create = (body: unknown) => toNewBudget(createBudgetSchema.parse(body));
const change = (body: unknown) => toBudgetChange(updateBudgetSchema.parse(body));

describe('toNewBudget: the wire body as the service takes it', () => {
  it('maps each scope variant to its kind', () => {
    const limits = { amount: 1 };
    expect(create({ scope: { workspace: {} }, limits }).scope).toEqual({ kind: 'workspace' });
    expect(create({ scope: { identity: { identity_external_id: ' u-1 ' } }, limits }).scope).toEqual({ kind: 'identity', externalId: 'u-1' });
    expect(create({ scope: { api_key: { api_key_id: 'k1' } }, limits }).scope).toEqual({ kind: 'api_key', apiKeyId: 'k1' });
    expect(create({ scope: { provider: { provider: 'openai' } }, limits }).scope).toEqual({ kind: 'provider', provider: 'openai' });
    expect(create({ scope: { model: { model_id: 'openai/gpt-4o' } }, limits }).scope).toEqual({ kind: 'model', modelId: 'openai/gpt-4o' });
    expect(create({ scope: { project: { project_id: 'p' } }, limits }).scope).toEqual({ kind: 'project', projectId: 'p' });
  });

  it('carries money in micro-dollars, limits as integers, dates as dates, alerts in camelCase', () => {
    const budget = create({
      scope: { workspace: {} },
      limits: { period: 'BUDGET_PERIOD_DAILY', amount: 0.0125, token_limit: 5000 },
      rate_limit: { requests_per_minute: 30 },
      expires_at: '2030-01-01T00:00:00Z',
      alerts: [{ threshold_percent: 80, notifier_ids: ['n1'], dimension: 'BUDGET_ALERT_DIMENSION_COST' }],
    });
    expect(budget).toEqual({
      scope: { kind: 'workspace' },
      period: 'daily',
      amountMicros: 12_500n,
      tokenLimit: 5000n,
      requestsPerMinute: 30,
      isActive: true,
      expiresAt: new Date('2030-01-01T00:00:00Z'),
      alerts: [{ id: undefined, thresholdPercent: 80, notifierIds: ['n1'], dimension: 'BUDGET_ALERT_DIMENSION_COST' }],
    });
  });

  it('defaults the period to monthly and leaves unset limits out', () => {
    const budget = create({ scope: { workspace: {} }, rate_limit: { requests_per_minute: 5 } });
    expect(budget.period).toBe('monthly');
    expect(budget.amountMicros).toBeUndefined();
    expect(budget.tokenLimit).toBeUndefined();
    expect(budget.expiresAt).toBeNull();
  });
});

describe('toBudgetChange: only what the body names', () => {
  it('is empty for an empty body', () => {
    expect(change({})).toEqual({});
  });

  it('maps the limits and the flags', () => {
    expect(change({ limits: { amount: 2.5, period: 'BUDGET_PERIOD_WEEKLY' }, is_active: false })).toEqual({ period: 'weekly', amountMicros: 2_500_000n, isActive: false });
  });

  it('keeps the period for BUDGET_PERIOD_UNSPECIFIED, which names none', () => {
    expect(change({ limits: { period: 'BUDGET_PERIOD_UNSPECIFIED', amount: 1 } })).toEqual({ amountMicros: 1_000_000n });
  });

  it('clears the expiry and the alerts with null', () => {
    expect(change({ clear_expires_at: true, clear_alerts: true })).toEqual({ expiresAt: null, alerts: null });
  });

  it('replaces the alerts when given', () => {
    expect(change({ alerts: [{ threshold_percent: 50, notifier_ids: [] }] }).alerts).toEqual([{ id: undefined, thresholdPercent: 50, notifierIds: [], dimension: undefined }]);
  });
});

describe('createBudgetSchema: what a bad value is told', () => {
  const issues = (body: unknown) => {
    const result = createBudgetSchema.safeParse(body);
    expect(result.success).toBe(false);
    return result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('names the bound a number passes, and a value of the wrong type as such', () => {
    expect(issues({ scope: { workspace: {} }, rate_limit: { requests_per_minute: 2_147_483_647 } })).toEqual(['rate_limit.requests_per_minute: must be at most 1,000,000']);
    expect(issues({ scope: { workspace: {} }, limits: { token_limit: 1e20 } })).toContain('limits.token_limit: must be at most 9,007,199,254,740,991');
    expect(issues({ scope: { identity: { identity_external_id: 123 } }, limits: { amount: 1 } })).toEqual(['scope.identity.identity_external_id: must be a string']);
    expect(issues({ scope: { identity: {} }, limits: { amount: 1 } })).toEqual(['scope.identity.identity_external_id: is required']);
  });

  it('refuses an amount finer than a micro-dollar instead of rounding it unseen', () => {
    expect(issues({ scope: { workspace: {} }, limits: { amount: 0.1234567 } })).toEqual(['limits.amount: must have at most 6 decimal places (amounts are kept in whole micro-dollars)']);
    expect(createBudgetSchema.safeParse({ scope: { workspace: {} }, limits: { amount: 0.15 } }).success).toBe(true);
    expect(createBudgetSchema.safeParse({ scope: { workspace: {} }, limits: { amount: 1234.567891 } }).success).toBe(true);
  });

  it('refuses a provider scope no call can match', () => {
    expect(issues({ scope: { provider: { provider: 'openai/gpt-4o' } }, limits: { amount: 1 } })[0]).toMatch(/^scope\.provider\.provider: must be a provider's name/);
    expect(createBudgetSchema.safeParse({ scope: { provider: { provider: 'OpenAI' } }, limits: { amount: 1 } }).success).toBe(true);
  });
});
