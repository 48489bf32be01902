// The provider form's fields and state, shared by the form (client) and its server actions.
import type { FormState } from '../../lib/actions/result';

export const PROVIDER_FIELDS = ['name', 'kind', 'base_url', 'api_key'] as const;
export type ProviderField = (typeof PROVIDER_FIELDS)[number];
/** `remove_api_key` is a checkbox without an error of its own. */
export type ProviderValue = ProviderField | 'remove_api_key';
export type ProviderFormValues = Partial<Record<ProviderValue, string>>;
export type ProviderFormState = FormState<ProviderField, ProviderValue>;

export const PROVIDER_FIELD_LABELS: Record<ProviderField, string> = {
  name: 'Name',
  kind: 'Kind',
  base_url: 'Base URL',
  api_key: 'API key',
};

export const KIND_LABELS = { openai: 'OpenAI-compatible', anthropic: 'Anthropic', google: 'Google Gemini' } as const;
