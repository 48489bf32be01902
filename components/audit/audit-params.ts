// The audit log view lives in the URL (?kind=&action=&actor=&from=&to=&identity=&older=|newer=), so it can be shared
// and the back button works; the page maps it to the same filter as GET /v2/audit-log.
import { AUDIT_TARGET_KINDS } from '../../lib/audit/schema';

export type AuditTargetKindFilter = (typeof AUDIT_TARGET_KINDS)[number];

export type AuditParams = {
  kind: AuditTargetKindFilter | '';
  action: string;
  /** "user:<id>", "api_key:<id>" or "system". */
  actor: string;
  /** UTC days, YYYY-MM-DD, both inclusive. */
  from: string;
  to: string;
  identity: string;
  /** Cursors: entries older than / newer than this entry id. */
  older: string;
  newer: string;
};

export const AUDIT_PAGE_SIZE = 25;

export const TARGET_KIND_LABELS: Record<AuditTargetKindFilter, string> = {
  identity: 'Identities',
  budget: 'Budgets',
  provider: 'Providers',
  api_key: 'API keys',
  user: 'Users',
  invite: 'Invites',
  notifier: 'Notifiers',
  price: 'Prices',
  deployment: 'Deployments',
  settings: 'Settings',
};

type RawParams = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = (raw: string) => (DAY.test(raw) && !Number.isNaN(new Date(`${raw}T00:00:00Z`).getTime()) ? raw : '');
const token = (raw: string, pattern: RegExp) => (pattern.test(raw) ? raw : '');

/** Lenient: anything unknown falls back to "no filter" instead of an error page. */
export function parseAuditParams(raw: RawParams): AuditParams {
  const kind = first(raw.kind);
  return {
    kind: (AUDIT_TARGET_KINDS as readonly string[]).includes(kind) ? (kind as AuditTargetKindFilter) : '',
    action: token(first(raw.action), /^[a-z_]+\.[a-z_]+$/),
    actor: token(first(raw.actor), /^(system|(user|api_key):[\w-]{1,100})$/),
    from: day(first(raw.from)),
    to: day(first(raw.to)),
    identity: token(first(raw.identity), /^[\w-]{1,100}$/),
    older: token(first(raw.older), /^[\w-]{1,100}$/),
    newer: token(first(raw.newer), /^[\w-]{1,100}$/),
  };
}

/** URL of an audit view; empty values are left out. Changing a filter goes back to the newest entries. */
export function auditHref(params: AuditParams, overrides: Partial<AuditParams> = {}): string {
  const p = { ...params, ...overrides };
  const sp = new URLSearchParams();
  for (const key of ['kind', 'action', 'actor', 'from', 'to', 'identity', 'older', 'newer'] as const) if (p[key]) sp.set(key, p[key]);
  const query = sp.toString();
  return query ? `/audit?${query}` : '/audit';
}

export const hasAuditFilters = (p: AuditParams): boolean => Boolean(p.kind || p.action || p.actor || p.from || p.to || p.identity);

/** The actor filter as the service's filter fields. */
export function actorFilter(actor: string): { actorKind?: string; actorId?: string } {
  if (!actor) return {};
  if (actor === 'system') return { actorKind: 'system' };
  const [kind, ...id] = actor.split(':');
  return { actorKind: kind, actorId: id.join(':') };
}

/** "identity.update" → "Identity updated"; unknown verbs read as they are. */
const VERBS: Record<string, string> = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
  reset: 'reset',
  revoke: 'revoked',
  owner_change: 'owner changed',
  reprice: 're-priced',
  role_change: 'role changed',
  invite: 'invited',
  accept: 'accepted',
  remove: 'removed',
  test: 'tested',
};
const NOUNS: Record<string, string> = {
  identity: 'Identity',
  budget: 'Budget',
  provider: 'Provider',
  api_key: 'API key',
  user: 'User',
  invite: 'Invite',
  notifier: 'Notifier',
  price: 'Price',
  deployment: 'Deployment',
  settings: 'Settings',
};

export function actionLabel(action: string): string {
  const [noun, verb = ''] = action.split('.');
  return `${NOUNS[noun] ?? noun} ${VERBS[verb] ?? verb.replace(/_/g, ' ')}`;
}
