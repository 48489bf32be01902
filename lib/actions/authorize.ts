import 'server-only';
import { ApiError } from '../api/errors';
import type { Permission } from '../auth/roles';
import { requirePermission, type StudioSession } from '../auth/session';

/** The session when its role allows the change; otherwise the refusal, shaped as a button action's failed result. */
export type Authorized = (StudioSession & { ok: true }) | { ok: false; message: string };

/**
 * The first line of every Studio server action that changes something: no session → sign-in (as requireSession);
 * a role that does not allow it → `{ ok: false, message: "Your role (viewer) cannot do this…" }`, which a button's
 * action returns as is and a form's action turns into its error state, so the refusal shows where the user acted.
 */
export async function authorize(permission: Permission): Promise<Authorized> {
  try {
    return { ...(await requirePermission(permission)), ok: true };
  } catch (err) {
    if (err instanceof ApiError && err.code === 'forbidden') return { ok: false, message: err.message };
    throw err;
  }
}

/** A form action's refusal: the message as the form's banner, the values typed kept. */
export function refusedForm<V>(refusal: { message: string }, values: V) {
  return { status: 'error' as const, message: refusal.message, fieldErrors: {}, values, submittedAt: Date.now() };
}
