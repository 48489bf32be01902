import { describe, expect, test } from 'vitest';
import { budgetListHref, DEFAULT_BUDGET_LIST_PARAMS, hasBudgetFilters, parseBudgetListParams } from './list-params';

describe('parseBudgetListParams', () => {
  test('defaults', () => {
    expect(parseBudgetListParams({})).toEqual(DEFAULT_BUDGET_LIST_PARAMS);
    expect(hasBudgetFilters(DEFAULT_BUDGET_LIST_PARAMS)).toBe(false);
  });

  test('reads every field and ignores junk', () => {
    expect(parseBudgetListParams({ q: ' gpt ', scope: 'model', period: 'one_time', state: 'paused', page: '2', size: '50' })).toEqual({
      q: 'gpt',
      scope: 'model',
      period: 'one_time',
      state: 'paused',
      page: 2,
      size: 50,
    });
    expect(parseBudgetListParams({ scope: 'project', period: 'hourly', state: 'on', page: '0', size: '7' })).toEqual(DEFAULT_BUDGET_LIST_PARAMS);
  });
});

describe('budgetListHref', () => {
  test('omits defaults and round-trips', () => {
    expect(budgetListHref(DEFAULT_BUDGET_LIST_PARAMS)).toBe('/budgets');
    const href = budgetListHref(DEFAULT_BUDGET_LIST_PARAMS, { scope: 'api_key', q: 'a b', page: 3 });
    expect(href).toBe('/budgets?scope=api_key&q=a+b&page=3');
    const sp = new URLSearchParams(href.split('?')[1]);
    expect(parseBudgetListParams(Object.fromEntries(sp))).toMatchObject({ scope: 'api_key', q: 'a b', page: 3 });
  });
});
