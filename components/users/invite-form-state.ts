import type { FormState } from '../../lib/actions/result';

export type InviteFormState = FormState<'email' | 'role'> & {
  /** The one-time link's path (/invite/<token>), present once, right after the invite is created. */
  path?: string;
  email?: string;
  role?: string;
};
