import { Badge, type BadgeTone } from '../ui/badge';

const TONES: Record<string, BadgeTone> = { delivered: 'green', pending: 'amber', failed: 'red' };
const LABELS: Record<string, string> = { delivered: 'Delivered', pending: 'Pending', failed: 'Failed' };

/** A message's status; a pending one that has failed before says it is retrying. */
export function DeliveryStatus({ status, attempts }: { status: string; attempts: number }) {
  const label = status === 'pending' && attempts > 0 ? 'Retrying' : (LABELS[status] ?? status);
  return <Badge tone={TONES[status] ?? 'neutral'}>{label}</Badge>;
}

/** An attempt's outcome: the response code (2xx green, else red) or the network error. */
export function AttemptOutcome({ statusCode, error }: { statusCode: number | null; error: string | null }) {
  if (statusCode !== null) {
    const ok = statusCode >= 200 && statusCode < 300;
    return (
      <span title={error ?? undefined}>
        <Badge tone={ok ? 'green' : 'red'}>{statusCode}</Badge>
      </span>
    );
  }
  return <span className="text-red-700">{error ?? 'no answer'}</span>;
}
