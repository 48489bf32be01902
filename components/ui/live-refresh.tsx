'use client';

import { useEffect } from 'react';
import { useRouter } from 'next/navigation';

/** Something the admin is doing that a re-render could disturb: an open dialog or menu, or a field being edited. */
function isBusy(): boolean {
  if (document.querySelector('[role="dialog"], [role="alertdialog"], [role="menu"], [role="listbox"]')) return true;
  const active = document.activeElement;
  return active instanceof HTMLElement && (active.isContentEditable || active.matches('input, textarea, select'));
}

/**
 * Re-reads the page's server data every few seconds while the tab is visible, so live numbers (calls in flight,
 * spend) move without a reload; skipped while a dialog is open or a field has focus, and right away when the tab
 * comes back.
 */
export function LiveRefresh({ everyMs = 4_000 }: { everyMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    const refresh = () => {
      if (document.visibilityState === 'visible' && !isBusy()) router.refresh();
    };
    const timer = setInterval(refresh, everyMs);
    const onVisibility = () => {
      if (document.visibilityState === 'visible') refresh();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [everyMs, router]);
  return null;
}
