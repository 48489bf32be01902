import { describe, expect, test } from 'vitest';
import { ApiError, fieldError } from '@/lib/api/errors';
import { budgetServiceFailure, parseCreateBudgetForm, parseUpdateBudgetForm } from './form-data';

describe('parseCreateBudgetForm', () => {
  test('a model budget in the API’s wire shape', () => {
    const parsed = parseCreateBudgetForm({ scope_kind: 'model', model_id: 'openai/gpt-4o', period: 'daily', amount: '$1,250.50', token_limit: '1,000', requests_per_minute: '' });
    expect(parsed).toEqual({
      ok: true,
      kind: 'model',
      input: expect.objectContaining({
        scope: { model: { model_id: 'openai/gpt-4o' } },
        limits: { period: 'BUDGET_PERIOD_DAILY', amount: 1250.5, token_limit: 1000 },
        is_active: true,
      }),
    });
  });

  test('issues land on the fields that show them', () => {
    const parsed = parseCreateBudgetForm({ scope_kind: 'model', model_id: 'gpt-4o', period: 'weekly', amount: '', token_limit: 'lots' });
    expect(parsed).toEqual({
      ok: false,
      fieldErrors: { model_id: 'Model must be "provider/model", e.g. "openai/gpt-4o".', token_limit: 'Token limit must be a number.' },
    });
    expect(parseCreateBudgetForm({ scope_kind: 'workspace', period: 'monthly' })).toEqual({
      ok: false,
      fieldErrors: { amount: 'Set a USD amount, a token limit or a requests-per-minute limit.' },
    });
    expect(parseCreateBudgetForm({ scope_kind: 'project', period: 'hourly' })).toEqual({
      ok: false,
      fieldErrors: { scope_kind: 'Choose what the budget applies to.', period: 'Choose a period.' },
    });
  });
});

describe('the form refuses what could never work', () => {
  test('a provider scope takes a provider name, as the providers API does', () => {
    const parsed = parseCreateBudgetForm({ scope_kind: 'provider', provider: 'openai/gpt-4o', period: 'daily', amount: '5' });
    expect(parsed).toEqual({ ok: false, fieldErrors: { provider: expect.stringMatching(/^Provider must be a provider’s name as in model ids, e\.g\. "openai"/) } });
    expect(parseCreateBudgetForm({ scope_kind: 'provider', provider: 'OpenAI', period: 'daily', amount: '5' }).ok).toBe(false);
    expect(parseCreateBudgetForm({ scope_kind: 'provider', provider: 'azure-openai_2', period: 'daily', amount: '5' }).ok).toBe(true);
  });

  test('amounts in scientific notation are refused by name, not read as $1,000', () => {
    expect(parseCreateBudgetForm({ scope_kind: 'workspace', period: 'daily', amount: '1e3', token_limit: '2E6' })).toEqual({
      ok: false,
      fieldErrors: {
        amount: 'Amount (USD) must be written out in digits, e.g. 1000 or 2.50 (not “1e3”).',
        token_limit: 'Token limit must be written out in digits, e.g. 1000 or 2.50 (not “2E6”).',
      },
    });
    const current = { period: 'daily', amountMicros: 5_000_000n, tokenLimit: null, requestsPerMinute: null, isActive: true };
    expect(parseUpdateBudgetForm({ period: 'daily', amount: '1e3', is_active: 'on' }, current)).toEqual({
      ok: false,
      fieldErrors: { amount: 'Amount (USD) must be written out in digits, e.g. 1000 or 2.50 (not “1e3”).' },
    });
  });
});

describe('parseUpdateBudgetForm', () => {
  const current = { period: 'daily', amountMicros: 5_000_000n, tokenLimit: null, requestsPerMinute: 60, isActive: true };

  test('only what changed is sent', () => {
    expect(parseUpdateBudgetForm({ period: 'daily', amount: '5', requests_per_minute: '60', is_active: 'on' }, current)).toEqual({ ok: true, input: {}, changed: false });
    expect(parseUpdateBudgetForm({ period: 'weekly', amount: '7.5', token_limit: '100', requests_per_minute: '60', is_active: '' }, current)).toEqual({
      ok: true,
      input: { limits: { period: 'BUDGET_PERIOD_WEEKLY', amount: 7.5, token_limit: 100 }, is_active: false },
      changed: true,
    });
  });

  test('a limit cannot be emptied away', () => {
    const parsed = parseUpdateBudgetForm({ period: 'daily', amount: '', requests_per_minute: '', is_active: 'on' }, current);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? {} : parsed.fieldErrors).toEqual({
      amount: expect.stringMatching(/^The USD limit cannot be removed/),
      requests_per_minute: expect.stringMatching(/^The requests-per-minute limit cannot be removed/),
    });
  });
});

describe('budgetServiceFailure', () => {
  test('a taken scope and an unknown identity show inline', () => {
    const conflict = fieldError('conflict', 'scope.workspace', 'this workspace already has a budget (01ABC)');
    expect(budgetServiceFailure(conflict, { scope_kind: 'workspace' }).fieldErrors).toEqual({ scope_kind: 'The workspace already has a budget: edit that one in the list.' });
    const missing = fieldError('not_found', 'scope.identity.identity_external_id', 'no identity with external id "u_1"');
    expect(budgetServiceFailure(missing, { scope_kind: 'identity' }).fieldErrors).toEqual({
      identity_external_id: 'No identity with external id "u_1". Create the identity first, or send usage with that external ID.',
    });
  });

  test('anything else is one message', () => {
    const state = budgetServiceFailure(new ApiError('internal_error', 'Something went wrong on our side.'), {});
    expect(state).toMatchObject({ status: 'error', message: 'Something went wrong on our side.', fieldErrors: {} });
  });
});

describe('budget alerts in the form', () => {
  const current = { period: 'monthly', amountMicros: 10_000_000n, tokenLimit: null, requestsPerMinute: null, isActive: true };
  const base = { period: 'monthly', amount: '10', is_active: 'on' };

  test('thresholds go to every notifier ticked, on cost when there is an amount, else on tokens', () => {
    const parsed = parseCreateBudgetForm({ scope_kind: 'workspace', period: 'monthly', amount: '10', alert_thresholds: '100, 80%', alert_notifier_ids: 'n1,n2' });
    expect(parsed.ok && parsed.input.alerts).toEqual([
      { threshold_percent: 80, notifier_ids: ['n1', 'n2'], dimension: 'BUDGET_ALERT_DIMENSION_COST' },
      { threshold_percent: 100, notifier_ids: ['n1', 'n2'], dimension: 'BUDGET_ALERT_DIMENSION_COST' },
    ]);
    const tokens = parseCreateBudgetForm({ scope_kind: 'workspace', period: 'monthly', token_limit: '1000', alert_thresholds: '50', alert_notifier_ids: 'n1' });
    expect(tokens.ok && tokens.input.alerts?.[0].dimension).toBe('BUDGET_ALERT_DIMENSION_TOKENS');
  });

  test('thresholds without notifiers, notifiers without thresholds, or a bad percentage are refused on their field', () => {
    const create = (alert_thresholds: string, alert_notifier_ids: string) => parseCreateBudgetForm({ scope_kind: 'workspace', period: 'monthly', amount: '10', alert_thresholds, alert_notifier_ids });
    expect(create('80', '')).toEqual({ ok: false, fieldErrors: { alert_notifier_ids: 'Choose at least one notifier to send the alerts to.' } });
    expect(create('', 'n1')).toEqual({ ok: false, fieldErrors: { alert_thresholds: 'Enter the percentages to alert at, e.g. 80, 100.' } });
    expect(create('0, 150', 'n1')).toEqual({ ok: false, fieldErrors: { alert_thresholds: 'Alert thresholds must be whole percentages from 1 to 100, e.g. 80, 100.' } });
  });

  test('an edit sends alerts only when they changed, and clears them when emptied', () => {
    const stored = { ...current, alerts: [{ id: 'a', threshold_percent: 80, notifier_ids: ['n1'], dimension: 'BUDGET_ALERT_DIMENSION_COST' }] };
    expect(parseUpdateBudgetForm({ ...base, alert_thresholds: '80', alert_notifier_ids: 'n1' }, stored)).toEqual({ ok: true, input: {}, changed: false });
    expect(parseUpdateBudgetForm({ ...base, alert_thresholds: '80, 100', alert_notifier_ids: 'n1' }, stored)).toMatchObject({
      ok: true,
      changed: true,
      input: { alerts: [{ threshold_percent: 80 }, { threshold_percent: 100 }] },
    });
    expect(parseUpdateBudgetForm({ ...base, alert_thresholds: '', alert_notifier_ids: '' }, stored)).toEqual({ ok: true, input: { clear_alerts: true }, changed: true });
    expect(parseUpdateBudgetForm({ ...base }, current)).toEqual({ ok: true, input: {}, changed: false });
  });

  test('an unknown notifier (404 from the service) shows on the notifiers field', () => {
    const state = budgetServiceFailure(fieldError('not_found', 'alerts.0.notifier_ids.0', 'no notifier with id "x"'), {});
    expect(state.fieldErrors.alert_notifier_ids).toMatch(/no notifier with id "x"/i);
  });
});

test('alerts made through the API without notifiers stay when an edit leaves them alone', () => {
  const stored = { period: 'monthly', amountMicros: 10_000_000n, tokenLimit: null, requestsPerMinute: null, isActive: true, alerts: [{ threshold_percent: 50, notifier_ids: [] }] };
  expect(parseUpdateBudgetForm({ period: 'monthly', amount: '20', is_active: 'on', alert_thresholds: '50', alert_notifier_ids: '' }, stored)).toEqual({
    ok: true,
    input: { limits: { amount: 20 } },
    changed: true,
  });
});
