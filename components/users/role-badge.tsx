import { ROLE_LABELS, type Role } from '../../lib/auth/roles';
import { Badge, type BadgeTone } from '../ui/badge';

const ROLE_TONES: Record<Role, BadgeTone> = { admin: 'brand', member: 'blue', viewer: 'neutral' };

export function RoleBadge({ role }: { role: Role }) {
  return <Badge tone={ROLE_TONES[role]}>{ROLE_LABELS[role]}</Badge>;
}
