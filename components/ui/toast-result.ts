import { toast } from 'sonner';
import type { ActionResult } from '../../lib/actions/result';

/** A button action's result as a toast; true when it succeeded (e.g. to close a confirmation). */
export function toastResult(result: ActionResult): boolean {
  if (result.ok) toast.success(result.message);
  else toast.error(result.message);
  return result.ok;
}
