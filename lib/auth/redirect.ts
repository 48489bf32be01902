// Where to go after sign-in: only same-site paths, so `?next=` cannot send an admin elsewhere.
export const DEFAULT_AFTER_SIGN_IN = '/identities';

export function safeNextPath(next: unknown): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return DEFAULT_AFTER_SIGN_IN;
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return DEFAULT_AFTER_SIGN_IN;
  if (next.startsWith('/sign-in')) return DEFAULT_AFTER_SIGN_IN;
  return next;
}
