// What Studio server actions hand back to their forms and buttons, and the one place they turn errors into it.
import { toApiError, type ApiError } from '../api/errors';
import { log } from '../log';

/** A button's action (reset, delete, re-price…): a toast says how it went. */
export type ActionResult = { ok: boolean; message: string };

/** A form's action: inline field errors, the values typed (echoed back so nothing is lost), a banner message. */
export type FormState<Field extends string, Value extends string = Field> = {
  status: 'idle' | 'success' | 'error';
  message?: string;
  fieldErrors: Partial<Record<Field, string>>;
  /** Every control's value, including those without a field error of their own (e.g. a switch). */
  values: Partial<Record<Value, string>>;
  /** Changes on every submission, so the form can react to a repeated result. */
  submittedAt: number;
};

export const FIX_BELOW = 'Please fix the highlighted fields.';

/** An error of a service as an ApiError; anything unexpected (500) is logged here, once. */
export function actionError(err: unknown, what: string): ApiError {
  const apiError = toApiError(err);
  if (apiError.status >= 500) log.error({ err }, `${what} failed`);
  return apiError;
}

/** Runs a button's service call: its success message, or the error's message for a toast. */
export async function runAction(what: string, run: () => Promise<string>): Promise<ActionResult> {
  try {
    return { ok: true, message: await run() };
  } catch (err) {
    return { ok: false, message: actionError(err, what).message };
  }
}

const PREDICATE = /^(is|are|must|cannot|can|should|has|have|already|does|not)\b/;

/** "must be greater than 0" → "Amount must be greater than 0."; a sentence is capitalised and kept. */
export function fieldSentence(label: string, issue: string): string {
  if (PREDICATE.test(issue)) return `${label} ${issue}.`.replace(/\.\.$/, '.');
  return `${issue.charAt(0).toUpperCase()}${issue.slice(1)}`.replace(/([^.])$/, '$1.');
}

/** A FormData text field ('' when missing or a file). */
export function formText(formData: FormData, name: string): string {
  const v = formData.get(name);
  return typeof v === 'string' ? v : '';
}
