import { afterEach, describe, expect, test } from 'vitest';
import { countEmbeddingInputTokens, countPromptText, countPromptTokens, countTextTokens, DEFAULT_MAX_OUTPUT_TOKENS, outputCap } from './tokens';

describe('countPromptTokens', () => {
  test('counts message text plus the chat format overhead', () => {
    const text = countTextTokens('Hello, how are you?');
    expect(text).toBe(6);
    expect(countPromptTokens({ messages: [{ role: 'user', content: 'Hello, how are you?' }] })).toBe(3 + 3 + text);
  });

  test('counts text parts and images of multi-part content, and tool definitions', () => {
    const parts = { messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'data:' } }] }] };
    expect(countPromptTokens(parts)).toBe(3 + 3 + countTextTokens('What is this?') + 765);
    const tools = [{ type: 'function', function: { name: 'lookup', parameters: {} } }];
    expect(countPromptTokens({ messages: [], tools })).toBe(3 + countTextTokens(JSON.stringify(tools)));
  });
});

describe('countPromptText', () => {
  test('counts as the tokenizer does, the same text again from what it remembers, and texts of any length', () => {
    const texts = ['Hello, how are you?', 'You are a helpful assistant.', '', 'x'.repeat(20_000), 'naïve café ☕ 日本語'];
    for (const text of texts) {
      expect(countPromptText(text), text.slice(0, 20)).toBe(countTextTokens(text));
      expect(countPromptText(`${text}`), text.slice(0, 20)).toBe(countTextTokens(text));
    }
  });

  test('stays right while it forgets the oldest texts to make room', () => {
    // ~8 MB of distinct texts through a 4 M-character memory: every count is still the tokenizer's.
    for (let i = 0; i < 600; i++) {
      const text = `${i} `.repeat(6_000).slice(0, 16_000);
      expect(countPromptText(text)).toBe(countTextTokens(text));
    }
    expect(countPromptText('Hello, how are you?')).toBe(6);
  });
});

describe('outputCap', () => {
  afterEach(() => {
    delete process.env.TOLLBOOTH_DEFAULT_MAX_OUTPUT_TOKENS;
  });

  test('prefers max_completion_tokens, then max_tokens, then the model default, then the server default', () => {
    expect(outputCap({ max_completion_tokens: 50, max_tokens: 70 }, 900)).toBe(50);
    expect(outputCap({ max_tokens: 70 }, 900)).toBe(70);
    expect(outputCap({}, 900)).toBe(900);
    expect(outputCap({}, null)).toBe(DEFAULT_MAX_OUTPUT_TOKENS);
    process.env.TOLLBOOTH_DEFAULT_MAX_OUTPUT_TOKENS = '1000';
    expect(outputCap({}, null)).toBe(1000);
  });

  test('multiplies by the number of choices', () => {
    expect(outputCap({ max_tokens: 100, n: 3 }, null)).toBe(300);
  });
});

describe('countEmbeddingInputTokens', () => {
  test('counts a string, a list of strings and token-id lists', () => {
    expect(countEmbeddingInputTokens('Hello, how are you?')).toBe(6);
    expect(countEmbeddingInputTokens(['Hello, how are you?', 'Hello, how are you?'])).toBe(12);
    expect(countEmbeddingInputTokens([1, 2, 3])).toBe(3);
    expect(countEmbeddingInputTokens([[1, 2], [3, 4, 5]])).toBe(5);
    expect(countEmbeddingInputTokens(undefined)).toBe(0);
  });
});
