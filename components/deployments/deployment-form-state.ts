// The deployment form's fields and state, shared by the form (client) and its server actions.
import type { FormState } from '../../lib/actions/result';

export const DEPLOYMENT_FIELDS = ['key', 'model', 'description', 'messages', 'temperature', 'max_tokens', 'top_p', 'fallbacks'] as const;
export type DeploymentField = (typeof DEPLOYMENT_FIELDS)[number];
/** Every control's value as text; `messages` is a JSON list of {role, content}, `fallbacks` a JSON list of model ids. */
export type DeploymentFormValues = Partial<Record<DeploymentField, string>>;
export type DeploymentFormState = FormState<DeploymentField>;

export const DEPLOYMENT_FIELD_LABELS: Record<DeploymentField, string> = {
  key: 'Key',
  model: 'Model',
  description: 'Description',
  messages: 'Prompt',
  temperature: 'Temperature',
  max_tokens: 'Max tokens',
  top_p: 'Top P',
  fallbacks: 'Fallbacks',
};

/** The parameters the form edits; others set through the API are kept as they are. */
export const FORM_PARAMETERS = ['temperature', 'max_tokens', 'top_p'] as const;
export type FormParameter = (typeof FORM_PARAMETERS)[number];

export const ROLE_LABELS = { system: 'System', developer: 'Developer', user: 'User', assistant: 'Assistant' } as const;
export type PromptRow = { role: keyof typeof ROLE_LABELS; content: string };

/** The prompt rows a `messages` value holds (an unreadable value reads as none). */
export function readPromptRows(value: string | undefined): PromptRow[] {
  try {
    const parsed: unknown = JSON.parse(value || '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((m: unknown) => {
      const row = m as { role?: unknown; content?: unknown } | null;
      if (typeof row?.content !== 'string') return [];
      const role = typeof row.role === 'string' && row.role in ROLE_LABELS ? (row.role as PromptRow['role']) : 'user';
      return [{ role, content: row.content }];
    });
  } catch {
    return [];
  }
}

/** The model ids a `fallbacks` value holds. */
export function readFallbackIds(value: string | undefined): string[] {
  try {
    const parsed: unknown = JSON.parse(value || '[]');
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}
