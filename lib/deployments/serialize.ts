// Wire shapes of a deployment: Tollbooth's own fields plus what the orq SDK parses (deployments.list, getConfig).
import type { ChatMessage, DeploymentCall } from './prompt';
import { modelIdOf, type Deployment, type DeploymentConfigResponse, type DeploymentResponse } from './schema';

/** The SDK's closed provider enum (`Provider` in operations/deploymentinvoke.ts, `DeploymentsProvider` in deployments.ts). */
export const ORQ_PROVIDERS = [
  'openai', 'groq', 'cohere', 'azure', 'aws', 'google', 'google-ai', 'huggingface', 'togetherai', 'perplexity', 'anthropic',
  'leonardoai', 'fal', 'nvidia', 'jina', 'elevenlabs', 'litellm', 'cerebras', 'openailike', 'bytedance', 'mistral', 'deepseek',
  'moonshotai', 'zai', 'minimax', 'xai', 'alibaba', 'tensorix', 'scaleway', 'hcompany', 'inceptron', 'wafer', 'poolside',
  'tencent', 'nebius', 'fireworks', 'baseten', 'reson8', 'meta', 'greenpt', 'typesafe', 'slack', 'orq',
] as const;
export type OrqProvider = (typeof ORQ_PROVIDERS)[number];

const isOrqProvider = (name: string): name is OrqProvider => (ORQ_PROVIDERS as readonly string[]).includes(name);

/** Other spellings of providers orq knows. */
const ALIASES: Record<string, OrqProvider> = {
  together: 'togetherai',
  'together-ai': 'togetherai',
  gemini: 'google-ai',
  'google-gemini': 'google-ai',
  vertex: 'google',
  'vertex-ai': 'google',
  vertexai: 'google',
  bedrock: 'aws',
  'aws-bedrock': 'aws',
  'azure-openai': 'azure',
  'azure-ai': 'azure',
  'fireworks-ai': 'fireworks',
  fireworksai: 'fireworks',
  'mistral-ai': 'mistral',
  mistralai: 'mistral',
  moonshot: 'moonshotai',
  'x-ai': 'xai',
  grok: 'xai',
  'hugging-face': 'huggingface',
  hf: 'huggingface',
  'perplexity-ai': 'perplexity',
  qwen: 'alibaba',
  dashscope: 'alibaba',
  'z-ai': 'zai',
  zhipu: 'zai',
  'meta-llama': 'meta',
  leonardo: 'leonardoai',
  'eleven-labs': 'elevenlabs',
};

/** What a Tollbooth provider of this kind (lib/providers: openai, anthropic, google) speaks, when its name says nothing. */
const BY_KIND: Record<string, OrqProvider> = { anthropic: 'anthropic', google: 'google-ai', openai: 'openailike' };

/**
 * Our provider name as orq's closed provider enum (SDK responses reject anything else): a name orq
 * knows as is ("openai", "groq"), a known alias ("together" → "togetherai"), else by the provider's
 * kind ("anthropic" → "anthropic", "google" → "google-ai"), else "openailike" (any OpenAI-compatible API).
 */
export function orqProviderName(providerName: string, kind?: string): OrqProvider {
  const name = providerName.trim().toLowerCase();
  if (isOrqProvider(name)) return name;
  const alias = Object.hasOwn(ALIASES, name) ? ALIASES[name] : undefined;
  if (alias) return alias;
  return (kind && Object.hasOwn(BY_KIND, kind.toLowerCase()) && BY_KIND[kind.toLowerCase()]) || 'openailike';
}

/** OpenAI parameter names → orq's camelCase `model_parameters` / `parameters` names (numbers only, as the SDK types them). */
const ORQ_NUMBER_PARAMETERS: Record<string, string> = {
  temperature: 'temperature',
  max_tokens: 'maxTokens',
  max_completion_tokens: 'maxTokens',
  top_p: 'topP',
  top_k: 'topK',
  frequency_penalty: 'frequencyPenalty',
  presence_penalty: 'presencePenalty',
  seed: 'seed',
};
const ORQ_ENUM_PARAMETERS: Record<string, { name: string; values: readonly string[] }> = {
  reasoning_effort: { name: 'reasoningEffort', values: ['none', 'disable', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] },
  verbosity: { name: 'verbosity', values: ['low', 'medium', 'high'] },
};

/** The parameters orq's schema has a place for, under its names; the rest (stop, response_format…) only reach the provider. */
export function orqParameters(params: Record<string, unknown>): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [name, value] of Object.entries(params)) {
    // Own keys only: a parameter named "constructor" must not find Object.prototype's members.
    const numeric = Object.hasOwn(ORQ_NUMBER_PARAMETERS, name) ? ORQ_NUMBER_PARAMETERS[name] : undefined;
    if (numeric && typeof value === 'number' && Number.isFinite(value)) {
      // max_tokens wins over max_completion_tokens when both are set.
      if (!(numeric === 'maxTokens' && name === 'max_completion_tokens' && 'max_tokens' in params)) out[numeric] = value;
      continue;
    }
    const choice = Object.hasOwn(ORQ_ENUM_PARAMETERS, name) ? ORQ_ENUM_PARAMETERS[name] : undefined;
    if (choice && typeof value === 'string' && choice.values.includes(value)) out[choice.name] = value;
  }
  return out;
}

const CONFIG_ROLES = ['system', 'developer', 'assistant', 'user', 'exception', 'tool', 'prompt', 'correction', 'expected_output'];
const CONTENT_PART_TYPES = ['text', 'image_url', 'file'];

/**
 * A call message in the shape the SDK's getConfig parses: `content` always present (null when absent),
 * content parts it knows (text, image_url, file), tool calls only when complete.
 */
function configMessage(message: ChatMessage): { role: string; content: unknown } & Record<string, unknown> {
  const content = Array.isArray(message.content)
    ? message.content.filter((part: unknown) => typeof part === 'object' && part !== null && CONTENT_PART_TYPES.includes(String((part as { type?: unknown }).type)))
    : typeof message.content === 'string'
      ? message.content
      : null;
  const out: { role: string; content: unknown } & Record<string, unknown> = { role: CONFIG_ROLES.includes(message.role) ? message.role : 'user', content };
  const toolCalls = message.tool_calls;
  if (Array.isArray(toolCalls)) {
    const complete = toolCalls.filter((call: unknown) => {
      const fn = (call as { function?: { name?: unknown; arguments?: unknown } } | null)?.function;
      return typeof fn?.name === 'string' && typeof fn.arguments === 'string';
    });
    if (complete.length > 0) out.tool_calls = complete.map((call) => ({ ...(call as Record<string, unknown>), type: 'function' }));
  }
  if (typeof message.tool_call_id === 'string') out.tool_call_id = message.tool_call_id;
  return out;
}

/**
 * A deployment on the wire: its own fields, and orq's `prompt_config` so the SDK's `deployments.list` parses it
 * (`providerKind`: the kind of a provider added in Tollbooth, for its orq name).
 */
export function serializeDeployment(deployment: Deployment, providerKind?: string): DeploymentResponse {
  return {
    id: deployment.id,
    key: deployment.key,
    description: deployment.description,
    model: modelIdOf(deployment),
    parameters: deployment.parameters,
    messages: deployment.messages,
    fallbacks: deployment.fallbacks,
    version: String(deployment.version),
    prompt_config: {
      tools: [],
      model: deployment.model,
      model_type: 'chat',
      model_parameters: orqParameters(deployment.parameters),
      provider: orqProviderName(deployment.provider, providerKind),
      messages: deployment.messages,
    },
    created: deployment.createdAt.toISOString(),
    updated: deployment.updatedAt.toISOString(),
  };
}

/** `POST /v2/deployments/get_config`: the call the deployment would make for this request, as the SDK's getConfig parses it. */
export function serializeDeploymentConfig(deployment: Deployment, call: DeploymentCall, providerKind?: string): DeploymentConfigResponse {
  const { messages, ...parameters } = call.body;
  return {
    id: deployment.id,
    key: deployment.key,
    provider: orqProviderName(deployment.provider, providerKind),
    model: deployment.model,
    type: 'chat',
    version: String(deployment.version),
    messages: messages.map(configMessage),
    parameters: orqParameters(parameters),
    fallbacks: deployment.fallbacks,
  };
}
