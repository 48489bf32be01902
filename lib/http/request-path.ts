// A path whose %-escapes do not decode to UTF-8 (`/v2/identities/%E0%A4%A`, `%ED%A0%80`) makes Next.js
// answer a bare 500; the listener answers it with a JSON 400 instead.

/** True when every %-escape of the URL's path decodes (to well-formed UTF-8). */
export function isDecodablePath(url: string | undefined): boolean {
  const path = (url ?? '/').split('?', 1)[0];
  if (!path.includes('%')) return true;
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

export const BAD_PATH_BODY = JSON.stringify({
  error: {
    code: 'invalid_request',
    message: 'The URL path has a malformed %-escape',
    details: [{ field: '(path)', issue: 'has a %-escape that is not valid UTF-8' }],
  },
});
