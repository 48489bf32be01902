// Where to go after sign-in: only same-origin relative paths, so `?next=` cannot send an admin elsewhere.
export const DEFAULT_AFTER_SIGN_IN = '/overview';

const MAX_NEXT_LENGTH = 2000;
// Tabs, newlines and other control characters (browsers strip some, headers reject others), and backslashes
// (browsers read `/\` as `//`): none belongs in a path we redirect to.
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\\]/;
const PROBE_ORIGIN = 'http://x';

function decodeOnce(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** `next` when it is a path on this origin (other than sign-in), normalised; otherwise the default page. */
export function safeNextPath(next: unknown): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > MAX_NEXT_LENGTH) return DEFAULT_AFTER_SIGN_IN;
  const decoded = decodeOnce(next);
  if (decoded === undefined) return DEFAULT_AFTER_SIGN_IN;
  for (const form of [next, decoded]) {
    if (UNSAFE_CHARACTERS.test(form)) return DEFAULT_AFTER_SIGN_IN;
    if (!form.startsWith('/') || form.startsWith('//')) return DEFAULT_AFTER_SIGN_IN;
  }
  let url: URL;
  try {
    url = new URL(next, PROBE_ORIGIN);
  } catch {
    return DEFAULT_AFTER_SIGN_IN;
  }
  if (url.origin !== PROBE_ORIGIN || !url.pathname.startsWith('/') || url.pathname.startsWith('//')) return DEFAULT_AFTER_SIGN_IN;
  if (url.pathname === '/sign-in' || url.pathname.startsWith('/sign-in/')) return DEFAULT_AFTER_SIGN_IN;
  return `${url.pathname}${url.search}${url.hash}`;
}
