import type { FormState } from '../../lib/actions/result';

export type ApiKeyFormState = FormState<'name'> & {
  /** The full key, present once, right after creation. */
  secret?: string;
  name?: string;
};
