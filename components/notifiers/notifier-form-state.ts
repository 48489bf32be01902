// The notifier form's fields and state, shared by the form (client) and its server actions.
import type { FormState } from '../../lib/actions/result';

export type NotifierField = 'name' | 'url';
/** `is_active` is a checkbox without an error of its own. */
export type NotifierValue = NotifierField | 'is_active';
export type NotifierFormState = FormState<NotifierField, NotifierValue> & {
  /** The "whsec_…" signing secret, present once, right after creation. */
  secret?: string;
  name?: string;
};
export type NotifierFormAction = (state: NotifierFormState, formData: FormData) => Promise<NotifierFormState>;
