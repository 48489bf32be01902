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
