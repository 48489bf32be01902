// FormData of the provider form → the API's zod schemas (POST / PATCH /v2/providers), and their issues → inline messages.
import { z } from 'zod';
import { fieldSentence, FIX_BELOW, formText } from '@/lib/actions/result';
import type { ApiError } from '@/lib/api/errors';
import { createProviderSchema, updateProviderSchema, type CreateProviderInput, type UpdateProviderInput } from '@/lib/providers/schema';
import {
  PROVIDER_FIELD_LABELS,
  PROVIDER_FIELDS,
  type ProviderField,
  type ProviderFormState,
  type ProviderFormValues,
} from '@/components/providers/provider-form-state';

type FieldErrors = ProviderFormState['fieldErrors'];

/** The submitted values; the API key is kept out of them, so it is never echoed back to the page. */
export function readProviderValues(formData: FormData): { values: ProviderFormValues; apiKey: string } {
  return {
    values: {
      name: formText(formData, 'name'),
      kind: formText(formData, 'kind'),
      base_url: formText(formData, 'base_url'),
      remove_api_key: formText(formData, 'remove_api_key'),
    },
    apiKey: formText(formData, 'api_key'),
  };
}

const isProviderField = (name: string): name is ProviderField => (PROVIDER_FIELDS as readonly string[]).includes(name);

function collect(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const head = String(issue.path[0] ?? '');
    if (isProviderField(head) && !errors[head]) errors[head] = fieldSentence(PROVIDER_FIELD_LABELS[head], issue.message);
  }
  return errors;
}

const blankToUndefined = (text: string | undefined) => (text?.trim() ? text : undefined);

export type ParsedCreateProvider = { ok: true; input: CreateProviderInput } | { ok: false; fieldErrors: FieldErrors };

/** Add: createProviderSchema (POST /v2/providers); a blank base URL or key is left out. */
export function parseCreateProviderForm(values: ProviderFormValues, apiKey: string): ParsedCreateProvider {
  const body = { name: values.name ?? '', kind: blankToUndefined(values.kind), base_url: blankToUndefined(values.base_url), api_key: blankToUndefined(apiKey) };
  const parsed = createProviderSchema.safeParse(body);
  if (parsed.success) return { ok: true, input: parsed.data };
  // The schema checks a missing base URL only once the other fields are valid: say it now, with the rest.
  const missingBaseUrl = createProviderSchema.safeParse({ ...body, name: 'x', api_key: undefined });
  const fieldErrors = { ...(missingBaseUrl.success ? {} : collect(missingBaseUrl.error)), ...collect(parsed.error) };
  return { ok: false, fieldErrors };
}

export type ParsedUpdateProvider = { ok: true; input: UpdateProviderInput } | { ok: false; fieldErrors: FieldErrors };

/** Edit: updateProviderSchema (PATCH); a blank key keeps the stored one, "remove" clears it, a blank base URL restores the kind's default. */
export function parseUpdateProviderForm(values: ProviderFormValues, apiKey: string): ParsedUpdateProvider {
  const parsed = updateProviderSchema.safeParse({
    name: values.name ?? '',
    kind: blankToUndefined(values.kind),
    base_url: blankToUndefined(values.base_url) ?? null,
    api_key: values.remove_api_key === 'on' ? null : blankToUndefined(apiKey),
  });
  return parsed.success ? { ok: true, input: parsed.data } : { ok: false, fieldErrors: collect(parsed.error) };
}

/** A service error as form feedback: a taken name or a missing base URL inline, anything else as one message. */
export function providerServiceFailure(apiError: ApiError, values: ProviderFormValues): ProviderFormState {
  const fieldErrors: FieldErrors = {};
  for (const d of apiError.details) {
    const field = d.field.split('.')[0];
    if (!isProviderField(field) || fieldErrors[field]) continue;
    fieldErrors[field] =
      apiError.code === 'conflict' && field === 'name'
        ? `A provider named “${values.name?.trim()}” already exists: edit that one in the list.`
        : fieldSentence(PROVIDER_FIELD_LABELS[field], d.issue);
  }
  const message = Object.keys(fieldErrors).length > 0 ? FIX_BELOW : apiError.message;
  return { status: 'error', message, fieldErrors, values, submittedAt: Date.now() };
}
