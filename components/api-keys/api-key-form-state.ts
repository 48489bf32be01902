import type { FormState } from '../../lib/actions/result';

export type ApiKeyFormState = FormState<'name' | 'scope'> & {
  /** The full key, present once, right after creation. */
  secret?: string;
  name?: string;
  /** The new key's scope (read_write | read_only), shown beside the secret. */
  scope?: string;
};
