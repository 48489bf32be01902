import { NextResponse, type NextRequest } from 'next/server';
import { SESSION_COOKIE } from './lib/auth/cookie';

// Optimistic check only: no session cookie → sign-in, remembering where the admin was going.
// The real check (decrypting the cookie, loading the server-side session) is requireSession() in every page and action.

export function proxy(request: NextRequest) {
  // Only page loads are redirected: server actions (POST) check the session themselves and answer in kind.
  if (request.method !== 'GET' && request.method !== 'HEAD') return NextResponse.next();
  if (request.cookies.has(SESSION_COOKIE)) return NextResponse.next();
  const { pathname, search } = request.nextUrl;
  // CSV downloads (…/export) are route handlers: without a session they answer 401 themselves.
  if (pathname.endsWith('/export')) return NextResponse.next();
  const url = request.nextUrl.clone();
  url.pathname = '/sign-in';
  url.search = '';
  if (pathname !== '/') url.searchParams.set('next', `${pathname}${search}`);
  return NextResponse.redirect(url);
}

export const config = {
  // Studio pages only (every folder of app/(studio); lib/auth/proxy.test.ts checks): the API (/v2, /api), sign-in and
  // static assets are not gated here.
  matcher: [
    '/',
    '/overview/:path*',
    '/identities/:path*',
    '/budgets/:path*',
    '/deployments/:path*',
    '/prices/:path*',
    '/providers/:path*',
    '/api-keys/:path*',
    '/notifiers/:path*',
    '/users/:path*',
    '/audit/:path*',
  ],
};
