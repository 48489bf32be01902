// FormData of the deployment form → the API's zod schemas (POST / PATCH /v2/deployments), and their issues → inline messages.
import type { z } from 'zod';
import { fieldSentence, formText } from '@/lib/actions/result';
import type { ApiError } from '@/lib/api/errors';
import {
  createDeploymentSchema,
  updateDeploymentSchema,
  type CreateDeploymentInput,
  type DeploymentParameters,
  type UpdateDeploymentInput,
} from '@/lib/deployments/schema';
import {
  DEPLOYMENT_FIELD_LABELS,
  DEPLOYMENT_FIELDS,
  FORM_PARAMETERS,
  readFallbackIds,
  readPromptRows,
  type DeploymentField,
  type DeploymentFormState,
  type DeploymentFormValues,
} from '@/components/deployments/deployment-form-state';

type FieldErrors = DeploymentFormState['fieldErrors'];

export function readDeploymentValues(formData: FormData): DeploymentFormValues {
  const values: DeploymentFormValues = {};
  for (const name of DEPLOYMENT_FIELDS) values[name] = formText(formData, name);
  return values;
}

const isField = (name: string): name is DeploymentField => (DEPLOYMENT_FIELDS as readonly string[]).includes(name);

/** "" → left out; "1,024" → 1024; anything else → NaN, which the schema reports as "must be a number". */
function numberField(raw: string | undefined): number | undefined {
  const text = (raw ?? '').replace(/[,_\s]/g, '');
  return text === '' ? undefined : Number(text);
}

/** The form's lists without the rows left blank, and where each kept row sits in the form (for messages naming it). */
function formLists(values: DeploymentFormValues) {
  const promptRows = readPromptRows(values.messages).map((row, i) => ({ row, i }));
  const messages = promptRows.filter(({ row }) => row.content.trim() !== '');
  const fallbacks = readFallbackIds(values.fallbacks)
    .map((id, i) => ({ id: id.trim(), i }))
    .filter(({ id }) => id !== '');
  return {
    messages: messages.map(({ row }) => row),
    messageRow: messages.map(({ i }) => i),
    fallbacks: fallbacks.map(({ id }) => id),
    fallbackRow: fallbacks.map(({ i }) => i),
  };
}

type Rows = { messageRow: number[]; fallbackRow: number[] };

/** One issue → the field that shows it, in a sentence naming the row ("Message 2: content cannot be empty."). */
function place(path: readonly PropertyKey[], issue: string, rows: Rows, into: FieldErrors): void {
  const [head, second, third] = path.map(String);
  if (head === 'parameters') {
    if (second && isField(second) && (FORM_PARAMETERS as readonly string[]).includes(second)) into[second] ??= fieldSentence(DEPLOYMENT_FIELD_LABELS[second], issue);
    else into.temperature ??= `Parameter ${second}: ${issue}.`;
    return;
  }
  if (head === 'messages' && second !== undefined) {
    const n = (rows.messageRow[Number(second)] ?? Number(second)) + 1;
    into.messages ??= `Message ${n}: ${third === 'role' ? 'role' : 'content'} ${issue}.`;
    return;
  }
  if (head === 'fallbacks' && second !== undefined) {
    const n = (rows.fallbackRow[Number(second)] ?? Number(second)) + 1;
    into.fallbacks ??= `Fallback ${n} ${issue}.`;
    return;
  }
  if (isField(head)) into[head] ??= fieldSentence(DEPLOYMENT_FIELD_LABELS[head], issue);
}

function collect(error: z.ZodError, rows: Rows, into: FieldErrors): void {
  for (const issue of error.issues) place(issue.path, issue.message, rows, into);
}

/** The form's three parameters over the deployment's others; an emptied field removes its parameter. */
function formParameters(values: DeploymentFormValues, current: DeploymentParameters): DeploymentParameters {
  const params: DeploymentParameters = { ...current };
  for (const name of FORM_PARAMETERS) {
    const n = numberField(values[name]);
    if (n === undefined) delete params[name];
    else params[name] = n;
  }
  return params;
}

export type ParsedCreateDeployment = { ok: true; input: CreateDeploymentInput } | { ok: false; fieldErrors: FieldErrors };

/** Create: the same createDeploymentSchema as POST /v2/deployments. */
export function parseCreateDeploymentForm(values: DeploymentFormValues): ParsedCreateDeployment {
  const lists = formLists(values);
  const parsed = createDeploymentSchema.safeParse({
    key: values.key ?? '',
    model: values.model ?? '',
    description: values.description ?? '',
    messages: lists.messages,
    parameters: formParameters(values, {}),
    fallbacks: lists.fallbacks,
  });
  if (parsed.success) return { ok: true, input: parsed.data };
  const fieldErrors: FieldErrors = {};
  collect(parsed.error, lists, fieldErrors);
  return { ok: false, fieldErrors };
}

export type ParsedUpdateDeployment = { ok: true; input: UpdateDeploymentInput } | { ok: false; fieldErrors: FieldErrors };

/** Edit: updateDeploymentSchema (PATCH) with every field the form shows; parameters it does not show are kept. */
export function parseUpdateDeploymentForm(values: DeploymentFormValues, currentParameters: DeploymentParameters): ParsedUpdateDeployment {
  const lists = formLists(values);
  const parsed = updateDeploymentSchema.safeParse({
    model: values.model ?? '',
    description: values.description ?? '',
    messages: lists.messages,
    parameters: formParameters(values, currentParameters),
    fallbacks: lists.fallbacks,
  });
  if (parsed.success) {
    // A primary model listed as a fallback is the service's rule on PATCH; say it here in the form's words.
    const primary = parsed.data.model;
    const index = primary ? (parsed.data.fallbacks ?? []).indexOf(primary) : -1;
    if (index === -1) return { ok: true, input: parsed.data };
    return { ok: false, fieldErrors: { fallbacks: `Fallback ${lists.fallbackRow[index] + 1} is already the primary model.` } };
  }
  const fieldErrors: FieldErrors = {};
  collect(parsed.error, lists, fieldErrors);
  return { ok: false, fieldErrors };
}

/** A service error as form feedback: a taken key (409) and field issues inline, anything else as one message. */
export function deploymentServiceFailure(apiError: ApiError, values: DeploymentFormValues): { message: string; fieldErrors: FieldErrors } {
  const fieldErrors: FieldErrors = {};
  const rows = formLists(values);
  for (const d of apiError.details) {
    if (apiError.code === 'conflict' && d.field === 'key') {
      fieldErrors.key = `A deployment with key "${values.key?.trim()}" already exists: choose another key.`;
      continue;
    }
    place(d.field.split('.'), d.issue, rows, fieldErrors);
  }
  return { message: Object.keys(fieldErrors).length > 0 ? 'Please fix the highlighted fields.' : apiError.message, fieldErrors };
}
