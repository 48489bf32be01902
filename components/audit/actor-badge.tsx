import { Bot, KeyRound, User } from 'lucide-react';
import { Badge } from '../ui/badge';
import { UserText } from '../ui/user-text';

/** Who made a change: a user (their email), an API key (its name) or Tollbooth itself. */
export function ActorBadge({ kind, label }: { kind: string; label: string }) {
  const [tone, Icon, what] = kind === 'user' ? (['brand', User, 'User'] as const) : kind === 'api_key' ? (['blue', KeyRound, 'API key'] as const) : (['neutral', Bot, 'System'] as const);
  return (
    <span className="inline-flex min-w-0 items-center gap-1.5">
      <Badge tone={tone}>
        <Icon className="size-3" aria-hidden="true" />
        {what}
      </Badge>
      <span className="min-w-0 font-medium text-zinc-800">
        <UserText text={label} truncate />
      </span>
    </span>
  );
}
