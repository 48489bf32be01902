import { describe, expect, test } from 'vitest';
import { zodDetails } from '../api/errors';
import { createDeploymentSchema, deploymentCallSchema, splitModelId, toDeploymentChange, toNewDeployment, updateDeploymentSchema } from './schema';

const issues = (input: unknown) => {
  const result = createDeploymentSchema.safeParse(input);
  return result.success ? [] : zodDetails(result.error);
};

describe('createDeploymentSchema', () => {
  test('a full deployment, normalised to the domain', () => {
    const input = createDeploymentSchema.parse({
      key: ' support.bot-v2 ',
      model: 'OpenAI/gpt-4o',
      description: '  Support  ',
      messages: [{ role: 'system', content: 'Hi {{name}}' }],
      parameters: { temperature: 0.2, max_tokens: 100, logit_bias: { '50256': -100 } },
      fallbacks: ['Anthropic/claude-3-5-haiku-latest', 'openrouter/meta-llama/llama-3-70b'],
    });
    expect(toNewDeployment(input)).toEqual({
      key: 'support.bot-v2',
      provider: 'openai',
      model: 'gpt-4o',
      description: 'Support',
      messages: [{ role: 'system', content: 'Hi {{name}}' }],
      parameters: { temperature: 0.2, max_tokens: 100, logit_bias: { '50256': -100 } },
      fallbacks: ['anthropic/claude-3-5-haiku-latest', 'openrouter/meta-llama/llama-3-70b'],
    });
    expect(toNewDeployment(createDeploymentSchema.parse({ key: 'k', model: 'groq/llama' }))).toEqual({
      key: 'k',
      provider: 'groq',
      model: 'llama',
      description: '',
      messages: [],
      parameters: {},
      fallbacks: [],
    });
  });

  test.each([
    [{ model: 'openai/gpt-4o' }, 'key', 'is required'],
    [{ key: '-dash-first', model: 'openai/gpt-4o' }, 'key', 'must start with a letter or digit'],
    [{ key: 'has space', model: 'openai/gpt-4o' }, 'key', 'must start with a letter or digit'],
    [{ key: 'k'.repeat(129), model: 'openai/gpt-4o' }, 'key', 'at most 128'],
    [{ key: '01JD0000000000000000000000', model: 'openai/gpt-4o' }, 'key', 'cannot look like a deployment id'],
    [{ key: 'k' }, 'model', 'is required'],
    [{ key: 'k', model: 'gpt-4o' }, 'model', 'must be "provider/model"'],
    [{ key: 'k', model: 'openai/' }, 'model', 'must be "provider/model"'],
    [{ key: 'k', model: 'openai/gpt 4o' }, 'model', 'must be "provider/model"'],
    [{ key: 'k', model: 'openai/gpt-4o', messages: [{ role: 'robot', content: 'x' }] }, 'messages.0.role', 'must be one of'],
    [{ key: 'k', model: 'openai/gpt-4o', messages: [{ role: 'user', content: '  ' }] }, 'messages.0.content', 'cannot be empty'],
    [{ key: 'k', model: 'openai/gpt-4o', messages: 'hi' }, 'messages', 'must be a list'],
    [{ key: 'k', model: 'openai/gpt-4o', parameters: { temperature: 3 } }, 'parameters.temperature', 'between 0 and 2'],
    [{ key: 'k', model: 'openai/gpt-4o', parameters: { max_tokens: 1.5 } }, 'parameters.max_tokens', 'whole number'],
    [{ key: 'k', model: 'openai/gpt-4o', parameters: { top_p: '0.5' } }, 'parameters.top_p', 'must be a number'],
    [{ key: 'k', model: 'openai/gpt-4o', parameters: { maxTokens: 5 } }, 'parameters.maxTokens', 'snake_case'],
    [{ key: 'k', model: 'openai/gpt-4o', parameters: { model: 'x' } }, 'parameters.model', 'set per call'],
    [{ key: 'k', model: 'openai/gpt-4o', parameters: [1] }, 'parameters', 'must be an object'],
    [{ key: 'k', model: 'openai/gpt-4o', fallbacks: ['gpt-4o-mini'] }, 'fallbacks.0', 'must be "provider/model"'],
    [{ key: 'k', model: 'openai/gpt-4o', fallbacks: ['a/b', 'A/b'] }, 'fallbacks.1', 'repeats "a/b"'],
    [{ key: 'k', model: 'openai/gpt-4o', fallbacks: ['OpenAI/gpt-4o'] }, 'fallbacks.0', 'already the primary model'],
    [{ key: 'k', model: 'openai/gpt-4o', fallbacks: ['a/1', 'a/2', 'a/3', 'a/4', 'a/5', 'a/6'] }, 'fallbacks', 'at most 5'],
  ])('%j → %s %s', (input, field, issue) => {
    expect(issues(input)).toContainEqual({ field, issue: expect.stringContaining(issue) });
  });
});

describe('updateDeploymentSchema', () => {
  test('left out keeps, null clears to empty', () => {
    expect(toDeploymentChange(updateDeploymentSchema.parse({}))).toEqual({});
    expect(toDeploymentChange(updateDeploymentSchema.parse({ model: 'Mistral/large', description: null, messages: null, parameters: null, fallbacks: null }))).toEqual({
      provider: 'mistral',
      model: 'large',
      description: '',
      messages: [],
      parameters: {},
      fallbacks: [],
    });
  });
});

describe('deploymentCallSchema', () => {
  test('the SDK body: checked fields, everything else kept', () => {
    const body = { key: 'k', stream: false, inputs: { a: 1 }, context: { environments: [] }, identity: { id: 'u' }, messages: [{ role: 'user', content: 'hi', name: 'n' }] };
    expect(deploymentCallSchema.parse(body)).toEqual(body);
    const bad = deploymentCallSchema.safeParse({ inputs: [], messages: [{ content: 'x' }] });
    expect(bad.success ? [] : zodDetails(bad.error).map((d) => d.field)).toEqual(['key', 'inputs', 'messages.0.role']);
  });
});

test('splitModelId', () => {
  expect(splitModelId('OpenRouter/meta-llama/Llama-3')).toEqual({ provider: 'openrouter', model: 'meta-llama/Llama-3' });
  expect(splitModelId('/x')).toBeNull();
  expect(splitModelId('x')).toBeNull();
});
