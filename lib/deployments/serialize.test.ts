import { describe, expect, test } from 'vitest';
import { DeploymentsProvider, DeploymentsResponseBody$inboundSchema } from '@orq-ai/node/models/operations/deployments.js';
import { DeploymentGetConfigResponseBody$inboundSchema } from '@orq-ai/node/models/operations/deploymentgetconfig.js';
import { Provider } from '@orq-ai/node/models/operations/deploymentinvoke.js';
import { buildDeploymentCall } from './prompt';
import { deploymentConfigResponseSchema, deploymentResponseSchema, type Deployment } from './schema';
import { ORQ_PROVIDERS, orqParameters, orqProviderName, serializeDeployment, serializeDeploymentConfig } from './serialize';

const deployment: Deployment = {
  id: '01JD0000000000000000000000',
  workspaceId: 'ws_1',
  key: 'support-bot',
  description: 'Answers support questions',
  provider: 'together',
  model: 'meta-llama/Llama-3-70b',
  parameters: { temperature: 0.3, max_tokens: 300, top_p: 0.8, stop: ['END'], reasoning_effort: 'low', response_format: { type: 'json_object' } },
  messages: [
    { role: 'system', content: 'You help {{name}}.' },
    { role: 'user', content: '{{question}}' },
  ],
  fallbacks: ['openai/gpt-4o-mini'],
  version: 3,
  createdAt: new Date('2026-11-20T10:00:00Z'),
  updatedAt: new Date('2026-11-21T11:30:00Z'),
};

describe('orqProviderName', () => {
  test('our list is exactly the SDK\'s closed enum', () => {
    expect([...ORQ_PROVIDERS].sort()).toEqual(Object.values(Provider).sort());
    expect([...ORQ_PROVIDERS].sort()).toEqual(Object.values(DeploymentsProvider).sort());
  });

  test('names orq knows as is, aliases mapped, the rest by kind or openailike', () => {
    expect(orqProviderName('openai')).toBe('openai');
    expect(orqProviderName('Anthropic')).toBe('anthropic');
    expect(orqProviderName('google-ai')).toBe('google-ai');
    expect(orqProviderName('together')).toBe('togetherai');
    expect(orqProviderName('bedrock')).toBe('aws');
    expect(orqProviderName('gemini')).toBe('google-ai');
    expect(orqProviderName('openrouter')).toBe('openailike');
    expect(orqProviderName('my-vllm', 'openai')).toBe('openailike');
    expect(orqProviderName('my-claude', 'anthropic')).toBe('anthropic');
    expect(orqProviderName('my-gemini', 'google')).toBe('google-ai');
    expect(orqProviderName('groq', 'anthropic')).toBe('groq');
    expect(orqProviderName('e2e')).toBe('openailike');
    for (const name of ['e2e', 'openrouter', 'x'.repeat(40), 'together', 'OPENAI']) expect(ORQ_PROVIDERS).toContain(orqProviderName(name));
  });
});

describe('orqParameters', () => {
  test('OpenAI names → orq camelCase; only the values orq types', () => {
    expect(orqParameters({ temperature: 0, max_tokens: 5, top_p: 1, top_k: 3, frequency_penalty: -1, presence_penalty: 1, seed: 9, stop: 'x', reasoning_effort: 'high', verbosity: 'loud' })).toEqual({
      temperature: 0,
      maxTokens: 5,
      topP: 1,
      topK: 3,
      frequencyPenalty: -1,
      presencePenalty: 1,
      seed: 9,
      reasoningEffort: 'high',
    });
    expect(orqParameters({ max_completion_tokens: 7 })).toEqual({ maxTokens: 7 });
    expect(orqParameters({ max_completion_tokens: 7, max_tokens: 5 })).toEqual({ maxTokens: 5 });
    expect(orqParameters({ temperature: '0.2', max_tokens: null })).toEqual({});
  });
});

describe('serializeDeployment', () => {
  const wire = serializeDeployment(deployment);

  test('Tollbooth fields and orq\'s prompt_config', () => {
    expect(wire).toEqual({
      id: deployment.id,
      key: 'support-bot',
      description: 'Answers support questions',
      model: 'together/meta-llama/Llama-3-70b',
      parameters: deployment.parameters,
      messages: deployment.messages,
      fallbacks: ['openai/gpt-4o-mini'],
      version: '3',
      prompt_config: {
        tools: [],
        model: 'meta-llama/Llama-3-70b',
        model_type: 'chat',
        model_parameters: { temperature: 0.3, maxTokens: 300, topP: 0.8, reasoningEffort: 'low' },
        provider: 'togetherai',
        messages: deployment.messages,
      },
      created: '2026-11-20T10:00:00.000Z',
      updated: '2026-11-21T11:30:00.000Z',
    });
    expect(deploymentResponseSchema.parse(wire)).toEqual(wire);
  });

  test('the SDK\'s deployments.list schema parses a page of it', () => {
    const parsed = DeploymentsResponseBody$inboundSchema.parse(JSON.parse(JSON.stringify({ object: 'list', data: [wire], has_more: false })));
    expect(parsed.hasMore).toBe(false);
    expect(parsed.data[0]).toMatchObject({ id: deployment.id, key: 'support-bot', version: '3', promptConfig: { provider: 'togetherai', modelType: 'chat', modelParameters: { maxTokens: 300 } } });
    const bare = serializeDeployment({ ...deployment, provider: 'e2e', parameters: {}, messages: [], fallbacks: [], description: '' });
    expect(() => DeploymentsResponseBody$inboundSchema.parse({ object: 'list', data: [bare], has_more: true })).not.toThrow();
  });
});

describe('serializeDeploymentConfig', () => {
  test('the filled call, in the shape the SDK\'s getConfig parses', () => {
    const call = buildDeploymentCall(deployment, {
      inputs: { name: 'Ada', question: 'Why?' },
      extra_params: { temperature: 1, presence_penalty: 0.5 },
      messages: [
        { role: 'assistant', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', content: 'ok', tool_call_id: 'c1' },
        { role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }] },
      ],
    });
    const wire = serializeDeploymentConfig(deployment, call);
    expect(wire).toEqual({
      id: deployment.id,
      key: 'support-bot',
      provider: 'togetherai',
      model: 'meta-llama/Llama-3-70b',
      type: 'chat',
      version: '3',
      messages: [
        { role: 'system', content: 'You help Ada.' },
        { role: 'user', content: 'Why?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', content: 'ok', tool_call_id: 'c1' },
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
      ],
      parameters: { temperature: 1, maxTokens: 300, topP: 0.8, reasoningEffort: 'low', presencePenalty: 0.5 },
      fallbacks: ['openai/gpt-4o-mini'],
    });
    expect(deploymentConfigResponseSchema.parse(wire)).toEqual(wire);
    const parsed = DeploymentGetConfigResponseBody$inboundSchema.parse(JSON.parse(JSON.stringify(wire)));
    expect(parsed.messages[2]).toMatchObject({ role: 'assistant', content: null, toolCalls: [{ function: { name: 'f' } }] });
    expect(parsed.parameters).toMatchObject({ temperature: 1, maxTokens: 300 });
  });

  test('a provider kind picks the orq name of a custom provider', () => {
    const call = buildDeploymentCall({ ...deployment, provider: 'my-claude' }, {});
    expect(serializeDeploymentConfig({ ...deployment, provider: 'my-claude' }, call, 'anthropic').provider).toBe('anthropic');
  });
});
