export type ApiKeyFormState = {
  status: 'idle' | 'success' | 'error';
  message?: string;
  /** The full key, present once, right after creation. */
  secret?: string;
  name?: string;
  fieldErrors: { name?: string };
  values: { name?: string };
  submittedAt: number;
};
