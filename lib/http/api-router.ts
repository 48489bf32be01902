// Which of app/'s API route handlers (the very functions Next.js runs for them) answers a request, for the server's
// own listener (scripts/server.ts): API calls skip Next's router and renderer, ~3–4 ms of CPU a request on this
// machine — for a health check, more than its own work. The rules are Next's, for the paths they decide plainly: a
// static segment before a dynamic one before a catch-all, params decoded; anything else (a trailing or doubled slash,
// an undecodable escape, a method the route does not export but HEAD) is left to Next, which answers it as before.
import type { WebHandler } from './node-bridge';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
type Method = (typeof METHODS)[number];

type Segment = { kind: 'static'; value: string } | { kind: 'param'; name: string } | { kind: 'rest'; name: string };

export type ApiRoute = { segments: Segment[]; handlers: Partial<Record<Method, WebHandler>> };

export type ApiMatch = { handler: WebHandler; params: Record<string, string | string[]> };

/** A route file of app/ (`app/v2/identities/[identityId]/route.ts`) and its module's exports, as a route. */
export function apiRoute(file: string, module: Record<string, unknown>): ApiRoute {
  const parts = file.split('/');
  if (parts[0] !== 'app' || parts[parts.length - 1] !== 'route.ts') throw new Error(`not a route file of app/: ${file}`);
  const segments: Segment[] = parts
    .slice(1, -1)
    // Route groups, `(name)`, are not part of the path.
    .filter((p) => !(p.startsWith('(') && p.endsWith(')')))
    .map((p): Segment => {
      if (p.startsWith('[[')) throw new Error(`optional catch-all segments are not served beside Next: ${file}`);
      if (p.startsWith('[...')) return { kind: 'rest', name: p.slice(4, -1) };
      if (p.startsWith('[')) return { kind: 'param', name: p.slice(1, -1) };
      return { kind: 'static', value: p };
    });
  const handlers: ApiRoute['handlers'] = {};
  for (const method of METHODS) if (typeof module[method] === 'function') handlers[method] = module[method] as WebHandler;
  return { segments, handlers };
}

const RANK = { static: 0, param: 1, rest: 2 } as const;

/** Next's precedence: at the first segment where two routes differ, a static one wins over a param, a param over a catch-all. */
function byPrecedence(a: ApiRoute, b: ApiRoute): number {
  for (let i = 0; i < Math.min(a.segments.length, b.segments.length); i++) {
    const d = RANK[a.segments[i].kind] - RANK[b.segments[i].kind];
    if (d !== 0) return d;
  }
  return b.segments.length - a.segments.length;
}

const decode = (s: string): string | null => {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
};

/** The route's params for `parts` (a path's segments), or null when it does not match them (or cannot decode them). */
function paramsOf(route: ApiRoute, parts: string[]): Record<string, string | string[]> | null {
  const params: Record<string, string | string[]> = {};
  const { segments } = route;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment.kind === 'rest') {
      if (i !== segments.length - 1 || parts.length <= i) return null;
      const rest = parts.slice(i).map(decode);
      if (rest.some((p) => p === null)) return null;
      params[segment.name] = rest as string[];
      return params;
    }
    if (i >= parts.length) return null;
    if (segment.kind === 'static') {
      if (parts[i] !== segment.value) return null;
    } else {
      const value = decode(parts[i]);
      if (value === null) return null;
      params[segment.name] = value;
    }
  }
  return parts.length === segments.length ? params : null;
}

/** A matcher over `routes`: the handler and params for a method and path (without its query), or null for Next. */
export function apiRouter(routes: readonly ApiRoute[]): (method: string, pathname: string) => ApiMatch | null {
  const ordered = [...routes].sort(byPrecedence);
  return (method, pathname) => {
    if (!pathname.startsWith('/')) return null;
    const parts = pathname.slice(1).split('/');
    // Next redirects a trailing slash and normalises dot segments: those stay its own.
    if (parts.some((p) => p === '' || p === '.' || p === '..')) return null;
    for (const route of ordered) {
      const params = paramsOf(route, parts);
      if (!params) continue;
      // The first route that matches is the one Next would pick: its answer, or Next's own for a method it lacks.
      const handler = route.handlers[method as Method] ?? (method === 'HEAD' ? route.handlers.GET : undefined);
      return handler ? { handler, params } : null;
    }
    return null;
  };
}
