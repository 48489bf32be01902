// A deployment call → the OpenAI chat completion body to send and the models to try. Pure: no I/O, no clock.
import { RESERVED_PARAMETERS, splitModelId, type Deployment, type DeploymentCallInput } from './schema';
import { fillVariables } from './template';

export { fillVariables, promptVariables } from './template';

/** A chat message as OpenAI takes it; call messages keep every field they were sent with. */
export type ChatMessage = { role: string; content?: unknown } & Record<string, unknown>;

/** What buildDeploymentCall reads of an invoke / stream / get_config body (the orq SDK's wire names). */
export type DeploymentCallRequest = Pick<DeploymentCallInput, 'inputs' | 'prefix_messages' | 'messages' | 'extra_params'>;

export type DeploymentTarget = { provider: string; model: string };

/** An OpenAI chat completion body without `model` (and without `stream`: the endpoint decides). */
export type ChatCompletionBody = { messages: ChatMessage[] } & Record<string, unknown>;

export type DeploymentCall = {
  body: ChatCompletionBody;
  /** The primary model, then the fallbacks in order, without repeats. */
  targets: DeploymentTarget[];
};

/**
 * The call a deployment makes for one request. Messages: the prompt's with `inputs` filled in, the
 * request's `prefix_messages` placed as orq documents them ("after the System message, but before the
 * User and Assistant pairs configured in your deployment": after the prompt's leading system /
 * developer messages), then the request's `messages`. Parameters: the deployment's, overridden by
 * `extra_params` (except `model`, `messages`, `stream` and `stream_options`, which are set per call).
 */
export function buildDeploymentCall(
  deployment: Pick<Deployment, 'provider' | 'model' | 'parameters' | 'messages' | 'fallbacks'>,
  request: DeploymentCallRequest,
): DeploymentCall {
  const prompt: ChatMessage[] = deployment.messages.map((m) => ({ role: m.role, content: fillVariables(m.content, request.inputs) }));
  const leading = prompt.findIndex((m) => m.role !== 'system' && m.role !== 'developer');
  const split = leading === -1 ? prompt.length : leading;
  const messages: ChatMessage[] = [
    ...prompt.slice(0, split),
    ...((request.prefix_messages ?? []) as ChatMessage[]),
    ...prompt.slice(split),
    ...((request.messages ?? []) as ChatMessage[]),
  ];
  const body: ChatCompletionBody = { ...withoutReserved(deployment.parameters), ...withoutReserved(request.extra_params ?? {}), messages };

  const targets: DeploymentTarget[] = [{ provider: deployment.provider, model: deployment.model }];
  for (const id of deployment.fallbacks) {
    const target = splitModelId(id);
    if (target && !targets.some((t) => t.provider === target.provider && t.model === target.model)) targets.push(target);
  }
  return { body, targets };
}

function withoutReserved(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([name, value]) => value !== undefined && !(RESERVED_PARAMETERS as readonly string[]).includes(name)));
}
