import { describe, expect, test } from 'vitest';
import { fieldMessage, parseCreateForm, parseUpdateForm, splitTags } from './form-data';

describe('parseCreateForm', () => {
  test('a minimal identity', () => {
    const r = parseCreateForm({ external_id: ' user_1 ', display_name: '', email: '', budget_enabled: '' });
    expect(r).toEqual({ ok: true, input: { external_id: 'user_1' }, budget: null });
  });

  test('everything, with a budget', () => {
    const r = parseCreateForm({
      external_id: 'acme',
      display_name: 'Acme Inc',
      email: 'ops@acme.io',
      tags: 'enterprise, beta,',
      budget_enabled: 'on',
      budget_period: 'daily',
      budget_amount: '$1,000.50',
    });
    expect(r).toEqual({
      ok: true,
      input: { external_id: 'acme', display_name: 'Acme Inc', email: 'ops@acme.io', tags: ['enterprise', 'beta'] },
      budget: { period: 'daily', amountMicros: 1_000_500_000n },
    });
  });

  test('field errors use the API schema messages, prefixed with the label', () => {
    const r = parseCreateForm({ external_id: '', email: 'nope', budget_enabled: 'on', budget_period: 'monthly', budget_amount: '-5' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fieldErrors).toEqual({
      external_id: 'External ID is required.',
      email: 'Email must be a valid email address.',
      budget_amount: 'Amount must be greater than 0.',
    });
  });

  test('zero, empty and non-numeric amounts', () => {
    const zero = parseCreateForm({ external_id: 'a', budget_enabled: 'on', budget_period: 'daily', budget_amount: '0' });
    expect(!zero.ok && zero.fieldErrors.budget_amount).toBe('Amount must be greater than 0.');
    const empty = parseCreateForm({ external_id: 'a', budget_enabled: 'on', budget_period: 'daily', budget_amount: '' });
    expect(!empty.ok && empty.fieldErrors.budget_amount).toMatch(/Enter a budget amount/);
    const text = parseCreateForm({ external_id: 'a', budget_enabled: 'on', budget_period: 'daily', budget_amount: 'ten' });
    expect(!text.ok && text.fieldErrors.budget_amount).toBe('Amount must be a number.');
    const period = parseCreateForm({ external_id: 'a', budget_enabled: 'on', budget_period: 'hourly', budget_amount: '1' });
    expect(!period.ok && period.fieldErrors.budget_period).toBe('Choose a period.');
  });

  test('a budget that is switched off is ignored, even when its fields are junk', () => {
    const r = parseCreateForm({ external_id: 'a', budget_enabled: '', budget_period: 'x', budget_amount: '-1' });
    expect(r).toMatchObject({ ok: true, budget: null });
  });
});

describe('parseUpdateForm', () => {
  test('emptied fields are cleared', () => {
    const r = parseUpdateForm({ display_name: '', email: '', tags: '', metadata: '' });
    expect(r).toEqual({ ok: true, input: { display_name: null, email: null, tags: [], metadata: {} }, budget: null });
  });

  test('metadata must be a JSON object', () => {
    const bad = parseUpdateForm({ metadata: '{nope' });
    expect(!bad.ok && bad.fieldErrors.metadata).toMatch(/valid JSON/);
    const array = parseUpdateForm({ metadata: '[1]' });
    expect(!array.ok && array.fieldErrors.metadata).toBe('Metadata must be a JSON object.');
    // A `__proto__` key is refused out loud, as the API refuses it, never dropped.
    const proto = parseCreateForm({ external_id: 'p', metadata: '{"plan":"pro","__proto__":{"admin":true}}' });
    expect(!proto.ok && proto.fieldErrors.metadata).toBe('Metadata "__proto__" is not allowed as a key.');
    const nul = parseUpdateForm({ metadata: '{"a":"x\\u0000y"}' });
    expect(!nul.ok && nul.fieldErrors.metadata).toMatch(/^Metadata "a" must not contain NUL/);
    const good = parseUpdateForm({ metadata: '{"plan":"pro"}' });
    expect(good.ok && good.input.metadata).toEqual({ plan: 'pro' });
  });
});

test('helpers', () => {
  expect(splitTags(' a,,b , ')).toEqual(['a', 'b']);
  expect(fieldMessage('external_id', 'an identity with external id "x" already exists')).toBe(
    'An identity with external id "x" already exists.',
  );
});
