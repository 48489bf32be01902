'use client';

import { useEffect } from 'react';
import { usePathname } from 'next/navigation';
import { toast } from 'sonner';
import { FLASH_COOKIE } from '@/lib/actions/flash-cookie';

/** Shows (once) the message a redirecting server action left in the flash cookie. */
export function FlashToaster() {
  const pathname = usePathname();
  useEffect(() => {
    const entry = document.cookie.split('; ').find((c) => c.startsWith(`${FLASH_COOKIE}=`));
    if (!entry) return;
    document.cookie = `${FLASH_COOKIE}=; Max-Age=0; path=/; SameSite=Lax`;
    try {
      const { message, tone } = JSON.parse(decodeURIComponent(entry.slice(FLASH_COOKIE.length + 1))) as { message: string; tone: string };
      if (tone === 'error') toast.error(message);
      else toast.success(message);
    } catch {
      // A malformed flash is dropped silently.
    }
  }, [pathname]);
  return null;
}
