'use client';

import { useState } from 'react';

/** The identity's avatar_url over its initials; if the image fails (offline, 404) the initials stay visible. */
export function AvatarImage({ src }: { src: string }) {
  const [failed, setFailed] = useState(false);
  if (failed) return null;
  return (
    // next/image needs every remote host configured; avatar URLs can point anywhere.
    // eslint-disable-next-line @next/next/no-img-element
    <img
      src={src}
      alt=""
      loading="lazy"
      referrerPolicy="no-referrer"
      onError={() => setFailed(true)}
      className="absolute inset-0 size-full rounded-full object-cover"
    />
  );
}
