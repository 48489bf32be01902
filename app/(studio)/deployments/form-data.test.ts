import { describe, expect, test } from 'vitest';
import { ApiError, fieldError } from '@/lib/api/errors';
import { deploymentServiceFailure, parseCreateDeploymentForm, parseUpdateDeploymentForm } from './form-data';

const messages = (...rows: [string, string][]) => JSON.stringify(rows.map(([role, content]) => ({ role, content })));

describe('parseCreateDeploymentForm', () => {
  test('the form in the API’s wire shape; blank rows are left out', () => {
    const parsed = parseCreateDeploymentForm({
      key: 'support-bot',
      model: 'openai/gpt-4o',
      description: 'Support',
      messages: messages(['system', 'Help {{name}}'], ['user', '  '], ['user', '{{question}}']),
      temperature: '0.2',
      max_tokens: '1,024',
      top_p: '',
      fallbacks: JSON.stringify(['', 'anthropic/claude-3-5-haiku-latest']),
    });
    expect(parsed).toEqual({
      ok: true,
      input: {
        key: 'support-bot',
        model: 'openai/gpt-4o',
        description: 'Support',
        messages: [
          { role: 'system', content: 'Help {{name}}' },
          { role: 'user', content: '{{question}}' },
        ],
        parameters: { temperature: 0.2, max_tokens: 1024 },
        fallbacks: ['anthropic/claude-3-5-haiku-latest'],
      },
    });
  });

  test('issues land on the fields that show them, naming the row as the form numbers it', () => {
    const parsed = parseCreateDeploymentForm({
      key: 'bad key',
      model: 'gpt-4o',
      messages: messages(['system', 'ok'], ['', ''], ['user', 'x'.repeat(100_001)]),
      temperature: 'hot',
      max_tokens: '1.5',
      top_p: '2',
      fallbacks: JSON.stringify(['', 'nope']),
    });
    expect(parsed).toEqual({
      ok: false,
      fieldErrors: {
        key: 'Key must start with a letter or digit and contain only letters, digits, "_", "." and "-".',
        model: 'Model must be "provider/model", e.g. "openai/gpt-4o".',
        messages: 'Message 3: content must be at most 100,000 characters.',
        temperature: 'Temperature must be a number.',
        max_tokens: 'Max tokens must be a whole number.',
        top_p: 'Top P must be between 0 and 1.',
        fallbacks: 'Fallback 2 must be "provider/model", e.g. "anthropic/claude-3-5-haiku-latest".',
      },
    });
  });

  test('a role the form does not offer reads as user', () => {
    const parsed = parseCreateDeploymentForm({ key: 'k', model: 'a/b', messages: messages(['robot', 'x']) });
    expect(parsed.ok && parsed.input.messages).toEqual([{ role: 'user', content: 'x' }]);
  });

  test('a fallback equal to the primary model', () => {
    expect(parseCreateDeploymentForm({ key: 'k', model: 'openai/gpt-4o', fallbacks: JSON.stringify(['openai/gpt-4o']) })).toEqual({
      ok: false,
      fieldErrors: { fallbacks: 'Fallback 1 is already the primary model.' },
    });
  });
});

describe('parseUpdateDeploymentForm', () => {
  test('every shown field is sent; parameters the form does not show are kept, emptied ones removed', () => {
    const parsed = parseUpdateDeploymentForm(
      { key: 'k', model: 'openai/gpt-4o-mini', description: '', messages: '[]', temperature: '', max_tokens: '200', top_p: '', fallbacks: '[]' },
      { temperature: 0.7, seed: 7, stop: ['END'] },
    );
    expect(parsed).toEqual({
      ok: true,
      input: { model: 'openai/gpt-4o-mini', description: '', messages: [], parameters: { seed: 7, stop: ['END'], max_tokens: 200 }, fallbacks: [] },
    });
  });

  test('the primary model repeated as a fallback', () => {
    const parsed = parseUpdateDeploymentForm({ model: 'openai/gpt-4o', fallbacks: JSON.stringify(['groq/llama', 'OpenAI/gpt-4o']) }, {});
    expect(parsed).toEqual({ ok: false, fieldErrors: { fallbacks: 'Fallback 2 is already the primary model.' } });
  });
});

describe('deploymentServiceFailure', () => {
  test('a taken key shows on the key field', () => {
    expect(deploymentServiceFailure(fieldError('conflict', 'key', 'a deployment with key "k" already exists'), { key: ' k ' })).toEqual({
      message: 'Please fix the highlighted fields.',
      fieldErrors: { key: 'A deployment with key "k" already exists: choose another key.' },
    });
  });

  test('anything else is one message', () => {
    expect(deploymentServiceFailure(new ApiError('not_found', 'Deployment x not found'), {})).toEqual({ message: 'Deployment x not found', fieldErrors: {} });
  });
});
