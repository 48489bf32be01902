'use client';

import { useEffect } from 'react';
import { useRouter } from 'next/navigation';

/** While a message is still pending, re-reads the page every few seconds, so a delivery shows up without a reload. */
export function RefreshWhilePending({ pending, everyMs = 2_000 }: { pending: boolean; everyMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => router.refresh(), everyMs);
    return () => clearInterval(timer);
  }, [pending, everyMs, router]);
  return null;
}
