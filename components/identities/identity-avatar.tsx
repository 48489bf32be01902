import { cn } from '../ui/cn';
import { AvatarImage } from './avatar-image';

const PALETTE = ['bg-sky-100 text-sky-800', 'bg-emerald-100 text-emerald-800', 'bg-amber-100 text-amber-800', 'bg-rose-100 text-rose-800', 'bg-brand-100 text-brand-700', 'bg-teal-100 text-teal-800'];

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return Math.abs(h);
}

export function initials(name: string): string {
  // Words that start with a letter: "Bulk 25" → "BU", "Jane Smith" → "JS".
  const words = name.replace(/[_\-.@]+/g, ' ').trim().split(/\s+/).filter((w) => /^\p{L}/u.test(w));
  if (words.length === 0) return name.trim().slice(0, 2).toUpperCase() || '?';
  return (words.length === 1 ? words[0].slice(0, 2) : words[0][0] + words[1][0]).toUpperCase();
}

/**
 * Whether the Studio loads identities' avatar URLs. They point anywhere callers like, so loading them
 * would let any host see (and track) the admin's browser: off unless TOLLBOOTH_REMOTE_AVATARS=1.
 */
export const remoteAvatarsEnabled = () => process.env.TOLLBOOTH_REMOTE_AVATARS === '1';

/** Initials in a colour derived from the external id, covered by the avatar image when there is one (and remote avatars are on). */
export function IdentityAvatar({ name, seed, size = 'md', src }: { name: string; seed: string; size?: 'md' | 'lg'; src?: string | null }) {
  const image = src && remoteAvatarsEnabled() ? src : null;
  return (
    <span
      aria-hidden="true"
      className={cn(
        'relative flex shrink-0 items-center justify-center rounded-full font-semibold',
        PALETTE[hash(seed) % PALETTE.length],
        size === 'lg' ? 'size-12 text-base' : 'size-8 text-xs',
      )}
    >
      {initials(name)}
      {image && <AvatarImage src={image} />}
    </span>
  );
}
