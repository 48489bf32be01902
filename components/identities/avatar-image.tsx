'use client';

import { useState } from 'react';
import { cn } from '@/components/ui/cn';

type LoadState = 'loading' | 'loaded' | 'failed';

/**
 * The identity's avatar_url over its initials. The image stays invisible until it has loaded, so a
 * broken URL (offline, 404) never shows the browser's broken-image glyph — the initials stay.
 */
export function AvatarImage({ src }: { src: string }) {
  const [state, setState] = useState<LoadState>('loading');
  if (state === 'failed') return null;
  return (
    // next/image needs every remote host configured; avatar URLs can point anywhere.
    // eslint-disable-next-line @next/next/no-img-element
    <img
      src={src}
      alt=""
      loading="lazy"
      referrerPolicy="no-referrer"
      // The server-rendered <img> may finish (or fail) before React attaches onLoad/onError.
      ref={(img) => {
        if (img?.complete) setState(img.naturalWidth > 0 ? 'loaded' : 'failed');
      }}
      onLoad={() => setState('loaded')}
      onError={() => setState('failed')}
      className={cn('absolute inset-0 size-full rounded-full object-cover', state !== 'loaded' && 'opacity-0')}
    />
  );
}
