// The Studio session cookie's name, shared by the proxy (optimistic check) and the session code (real check).
export const SESSION_COOKIE = 'tollbooth_session';
