'use client';

import { useEffect, useRef, useState } from 'react';
import { usePathname } from 'next/navigation';
import { cn } from '../ui/cn';

/**
 * The phone header's nav: one scrolling row with the current page scrolled into view, and a fade at each edge
 * past which there is more, so a clipped label reads as "scroll for more".
 */
export function ScrollingNav({ label, children }: { label: string; children: React.ReactNode }) {
  const scroller = useRef<HTMLDivElement>(null);
  const pathname = usePathname();
  const [more, setMore] = useState({ start: false, end: false });

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const update = () => setMore({ start: el.scrollLeft > 1, end: el.scrollLeft + el.clientWidth < el.scrollWidth - 1 });
    // Centre the current page's link (offsetLeft is measured from the scroller, which is positioned).
    const current = el.querySelector<HTMLElement>('[aria-current="page"]');
    if (current) el.scrollLeft = current.offsetLeft - (el.clientWidth - current.offsetWidth) / 2;
    update();
    el.addEventListener('scroll', update, { passive: true });
    const resize = new ResizeObserver(update);
    resize.observe(el);
    return () => {
      el.removeEventListener('scroll', update);
      resize.disconnect();
    };
  }, [pathname]);

  const fade = 'pointer-events-none absolute inset-y-0 w-8 from-white to-transparent transition-opacity';
  return (
    <nav aria-label={label} className="relative min-w-0 flex-1">
      <div ref={scroller} className="relative overflow-x-auto [scrollbar-width:none] [&::-webkit-scrollbar]:hidden" data-nav-scroller>
        {children}
      </div>
      <div aria-hidden="true" data-nav-fade="start" data-shown={more.start} className={cn(fade, 'left-0 bg-gradient-to-r', more.start ? 'opacity-100' : 'opacity-0')} />
      <div aria-hidden="true" data-nav-fade="end" data-shown={more.end} className={cn(fade, 'right-0 bg-gradient-to-l', more.end ? 'opacity-100' : 'opacity-0')} />
    </nav>
  );
}
