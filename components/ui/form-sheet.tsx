'use client';

import { useState, type ReactNode } from 'react';
import { Dialog, DialogContent, DialogTrigger } from './dialog';

const focusField = (id: string) => (event: Event) => {
  event.preventDefault();
  document.getElementById(id)?.focus();
};

/** A button that opens a form in a slide-over panel; the form calls `close` when it succeeds. */
export function FormSheet({
  trigger,
  title,
  description,
  focus,
  children,
}: {
  trigger: ReactNode;
  title: string;
  description: string;
  /** id of the field focused when the panel opens. */
  focus: string;
  children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent variant="sheet" title={title} description={description} onOpenAutoFocus={focusField(focus)}>
        {children(() => setOpen(false))}
      </DialogContent>
    </Dialog>
  );
}
