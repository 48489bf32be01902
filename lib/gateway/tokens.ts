// Token counts Tollbooth makes itself: the input of a request before it is sent, and the output of a
// reply whose provider reported no usage (or a stream cut short). gpt-tokenizer's o200k encoding is
// exact for OpenAI's current models and a close estimate for others.
import { countTokens } from 'gpt-tokenizer';

/** Tokens the chat format adds around each message and to prime the reply (OpenAI's published counting). */
const PER_MESSAGE = 3;
const REPLY_PRIMER = 3;
/** An image part, counted as a high-detail 1024×1024 image (OpenAI: 85 + 170 per 512 px tile). */
const IMAGE_TOKENS = 765;

export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

export function countTextTokens(text: string): number {
  return text ? countTokens(text) : 0;
}

/**
 * Token counts of prompt texts seen lately. A chat sends its whole history again with every call, and system prompts
 * and few-shot examples repeat word for word: each such text is counted once. Counting costs ~0.02 ms even for a
 * short message in the server (the tokenizer's code and tables are cold between calls; in-server stages,
 * bench/README.md), a lookup a hash of the text. Kept to PROMPT_CACHE_CHARS characters in all, oldest out first;
 * longer texts are not kept (they are rarely repeated whole, and their count dwarfs the lookup anyway).
 */
const promptCounts = new Map<string, number>();
const PROMPT_CACHE_CHARS = 4_000_000;
const PROMPT_CACHED_TEXT_MAX = 16_384;
let promptCacheChars = 0;

export function countPromptText(text: string): number {
  if (!text) return 0;
  const known = promptCounts.get(text);
  if (known !== undefined) return known;
  const tokens = countTokens(text);
  if (text.length <= PROMPT_CACHED_TEXT_MAX) {
    for (const oldest of promptCounts.keys()) {
      if (promptCacheChars + text.length <= PROMPT_CACHE_CHARS) break;
      promptCounts.delete(oldest);
      promptCacheChars -= oldest.length;
    }
    promptCounts.set(text, tokens);
    promptCacheChars += text.length;
  }
  return tokens;
}

type Part = { type?: unknown; text?: unknown; image_url?: unknown; input_audio?: unknown };

function contentTokens(content: unknown): number {
  if (typeof content === 'string') return countPromptText(content);
  if (!Array.isArray(content)) return content == null ? 0 : countTextTokens(JSON.stringify(content));
  return (content as Part[]).reduce((n, part) => {
    if (typeof part?.text === 'string') return n + countPromptText(part.text);
    if (part?.type === 'image_url' || part?.image_url) return n + IMAGE_TOKENS;
    return n + countTextTokens(JSON.stringify(part));
  }, 0);
}

/** Input tokens of an OpenAI-style chat request: messages, tool calls and tool definitions. */
export function countPromptTokens(body: { messages?: unknown; tools?: unknown }): number {
  const messages = Array.isArray(body.messages) ? (body.messages as Record<string, unknown>[]) : [];
  let total = REPLY_PRIMER;
  for (const m of messages) {
    total += PER_MESSAGE + contentTokens(m?.content);
    if (typeof m?.name === 'string') total += 1 + countPromptText(m.name);
    if (m?.tool_calls) total += countTextTokens(JSON.stringify(m.tool_calls));
  }
  if (body.tools) total += countTextTokens(JSON.stringify(body.tools));
  return total;
}

const positiveInt = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null);

/**
 * Output tokens to hold for a request: its own cap, else the model's configured default, else the server default (× n
 * choices). The environment is read only when the request and the model name no cap (a read of it costs a few µs).
 */
export function outputCap(body: Record<string, unknown>, modelDefault: number | null): number {
  const cap =
    positiveInt(body.max_completion_tokens) ??
    positiveInt(body.max_tokens) ??
    modelDefault ??
    positiveInt(Number(process.env.TOLLBOOTH_DEFAULT_MAX_OUTPUT_TOKENS)) ??
    DEFAULT_MAX_OUTPUT_TOKENS;
  return Math.min(cap * (positiveInt(body.n) ?? 1), MAX_HELD_OUTPUT_TOKENS);
}

/** The most output tokens a call's estimate holds, whatever its cap (the router's schema bounds max_tokens and n). */
const MAX_HELD_OUTPUT_TOKENS = 1_000_000_000;

/** Input tokens of an embeddings request: `input` as a string, a list of strings, or token-id lists. */
export function countEmbeddingInputTokens(input: unknown): number {
  if (typeof input === 'string') return countTextTokens(input);
  if (!Array.isArray(input)) return 0;
  if (input.every((v) => typeof v === 'number')) return input.length;
  return input.reduce<number>((n, item) => n + (Array.isArray(item) ? item.length : typeof item === 'string' ? countTextTokens(item) : 0), 0);
}
