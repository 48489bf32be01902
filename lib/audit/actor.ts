// Who made a change: a signed-in Studio user, an API key, or Tollbooth itself (environment bootstrap, jobs).
export type Actor =
  | { kind: 'user'; id: string; label: string }
  | { kind: 'api_key'; id: string; label: string }
  | { kind: 'system'; id: null; label: string };

export const userActor = (user: { userId: string; email: string }): Actor => ({ kind: 'user', id: user.userId, label: user.email });

export const apiKeyActor = (principal: { keyId: string; name: string }): Actor => ({ kind: 'api_key', id: principal.keyId, label: principal.name });

export const systemActor = (label = 'Tollbooth'): Actor => ({ kind: 'system', id: null, label });

/** The form BudgetReset.resetBy has always stored: "user:<email>", "api_key:<key id>". */
export function actorTag(actor: Actor): string {
  if (actor.kind === 'user') return `user:${actor.label}`;
  if (actor.kind === 'api_key') return `api_key:${actor.id}`;
  return `system:${actor.label}`;
}
