import { describe, expect, test } from 'vitest';
import { buildDeploymentCall, fillVariables, promptVariables } from './prompt';
import type { Deployment } from './schema';

const deployment: Pick<Deployment, 'provider' | 'model' | 'parameters' | 'messages' | 'fallbacks'> = {
  provider: 'openai',
  model: 'gpt-4o',
  parameters: { temperature: 0.2, max_tokens: 256, top_p: 0.9 },
  messages: [
    { role: 'system', content: 'You help {{customer}} of {{ company }}.' },
    { role: 'user', content: 'Order {{order_id}}: {{question}}' },
  ],
  fallbacks: ['anthropic/claude-3-5-haiku-latest', 'groq/llama-3.1-8b-instant'],
};

describe('fillVariables', () => {
  test('fills {{name}} and {{ name }} from inputs', () => {
    expect(fillVariables('Hi {{name}}, {{ name }} and {{  name  }}!', { name: 'Ada' })).toBe('Hi Ada, Ada and Ada!');
  });

  test('non-string inputs are inserted as JSON', () => {
    expect(fillVariables('{{n}} {{ok}} {{none}} {{list}} {{obj}}', { n: 3, ok: true, none: null, list: ['a', 1], obj: { a: 1 } })).toBe(
      '3 true null ["a",1] {"a":1}',
    );
  });

  test('a missing variable stays as written', () => {
    expect(fillVariables('Hello {{name}} from {{ city }}', { name: 'Ada' })).toBe('Hello Ada from {{ city }}');
    expect(fillVariables('Hello {{name}}')).toBe('Hello {{name}}');
  });

  test('names are looked up as own keys only, and values are not filled again', () => {
    expect(fillVariables('{{constructor}} {{toString}}', {})).toBe('{{constructor}} {{toString}}');
    expect(fillVariables('{{a}} {{b}}', { a: '{{b}}', b: 'B' })).toBe('{{b}} B');
    expect(fillVariables('{{a}}', { a: '$& $1 $$' })).toBe('$& $1 $$');
  });

  test('dotted and dashed names are names; other braces are text', () => {
    expect(fillVariables('{{user.name}} {{first-name}} {x} {{ }} {{a b}}', { 'user.name': 'U', 'first-name': 'F' })).toBe('U F {x} {{ }} {{a b}}');
  });

  test('promptVariables lists each name once, in order', () => {
    expect(promptVariables(deployment.messages)).toEqual(['customer', 'company', 'order_id', 'question']);
  });
});

describe('buildDeploymentCall', () => {
  test('prompt filled from inputs, parameters, then targets primary → fallbacks', () => {
    const call = buildDeploymentCall(deployment, { inputs: { customer: 'Ada', company: 'Acme', order_id: 42, question: 'Where is it?' } });
    expect(call).toEqual({
      body: {
        temperature: 0.2,
        max_tokens: 256,
        top_p: 0.9,
        messages: [
          { role: 'system', content: 'You help Ada of Acme.' },
          { role: 'user', content: 'Order 42: Where is it?' },
        ],
      },
      targets: [
        { provider: 'openai', model: 'gpt-4o' },
        { provider: 'anthropic', model: 'claude-3-5-haiku-latest' },
        { provider: 'groq', model: 'llama-3.1-8b-instant' },
      ],
    });
    expect(call.body).not.toHaveProperty('model');
    expect(call.body).not.toHaveProperty('stream');
  });

  test('prefix_messages go after the leading system messages, request messages last, as sent', () => {
    const prefix = { role: 'user', content: 'Earlier question', name: 'ada' };
    const earlierAnswer = { role: 'assistant', content: null, tool_calls: [{ id: 't1', type: 'function', function: { name: 'lookup', arguments: '{}' } }] };
    const toolResult = { role: 'tool', content: 'found', tool_call_id: 't1' };
    const call = buildDeploymentCall(deployment, {
      inputs: { customer: 'Ada', company: 'Acme', order_id: '7', question: 'Status?' },
      prefix_messages: [prefix, earlierAnswer],
      messages: [toolResult, { role: 'user', content: [{ type: 'text', text: 'And {{customer}}?' }] }],
    });
    expect(call.body.messages).toEqual([
      { role: 'system', content: 'You help Ada of Acme.' },
      prefix,
      earlierAnswer,
      { role: 'user', content: 'Order 7: Status?' },
      toolResult,
      // Only the deployment's prompt is a template: request messages are sent as they came.
      { role: 'user', content: [{ type: 'text', text: 'And {{customer}}?' }] },
    ]);
  });

  test('prefix_messages lead when the prompt has no system or developer message first', () => {
    const call = buildDeploymentCall({ ...deployment, messages: [{ role: 'user', content: 'Hi' }] }, { prefix_messages: [{ role: 'system', content: 'Be brief' }] });
    expect(call.body.messages).toEqual([
      { role: 'system', content: 'Be brief' },
      { role: 'user', content: 'Hi' },
    ]);
    const developerFirst = buildDeploymentCall({ ...deployment, messages: [{ role: 'developer', content: 'D' }, { role: 'system', content: 'S' }] }, { prefix_messages: [{ role: 'user', content: 'P' }] });
    expect(developerFirst.body.messages.map((m) => m.content)).toEqual(['D', 'S', 'P']);
  });

  test('a deployment without a prompt sends the request messages alone', () => {
    const call = buildDeploymentCall({ ...deployment, messages: [], parameters: {} }, { messages: [{ role: 'user', content: 'Hello' }] });
    expect(call.body).toEqual({ messages: [{ role: 'user', content: 'Hello' }] });
  });

  test('extra_params override the deployment parameters, but never model, messages or stream', () => {
    const call = buildDeploymentCall(deployment, {
      extra_params: { temperature: 1, seed: 7, model: 'other/model', messages: [], stream: true, stream_options: { include_usage: true }, skipped: undefined },
    });
    expect(call.body).toEqual({ temperature: 1, max_tokens: 256, top_p: 0.9, seed: 7, messages: expect.any(Array) });
    expect(call.body.messages).toHaveLength(2);
  });

  test('stored reserved parameters are dropped too', () => {
    const call = buildDeploymentCall({ ...deployment, parameters: { temperature: 0, model: 'x/y', stream: true } }, {});
    expect(call.body).toEqual({ temperature: 0, messages: expect.any(Array) });
  });

  test('fallbacks repeating the primary or each other are tried once; malformed ones are skipped', () => {
    const call = buildDeploymentCall({ ...deployment, fallbacks: ['openai/gpt-4o', 'Anthropic/claude-x', 'anthropic/claude-x', 'nonsense'] }, {});
    expect(call.targets).toEqual([
      { provider: 'openai', model: 'gpt-4o' },
      { provider: 'anthropic', model: 'claude-x' },
    ]);
  });

  test('the deployment is not changed by a call', () => {
    const copy = structuredClone(deployment);
    buildDeploymentCall(deployment, { inputs: { customer: 'X' }, extra_params: { temperature: 2 }, prefix_messages: [{ role: 'user', content: 'p' }] });
    expect(deployment).toEqual(copy);
  });
});
