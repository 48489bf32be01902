'use client';

import * as DialogPrimitive from '@radix-ui/react-dialog';
import { X } from 'lucide-react';
import { cn } from './cn';
import { Button } from './button';

export const Dialog = DialogPrimitive.Root;
export const DialogTrigger = DialogPrimitive.Trigger;
export const DialogClose = DialogPrimitive.Close;
/** For a description inside the body (e.g. a confirmation's text); pair with `describedInBody`. */
export const DialogDescription = DialogPrimitive.Description;

type DialogContentProps = {
  title: React.ReactNode;
  description?: React.ReactNode;
  /** `sheet` slides in from the right, like orq's create panel; `center` is a modal. */
  variant?: 'center' | 'sheet';
  className?: string;
  children: React.ReactNode;
  onOpenAutoFocus?: (event: Event) => void;
  /** Where focus goes on close (Radix returns it to the trigger; preventDefault to send it elsewhere). */
  onCloseAutoFocus?: (event: Event) => void;
  /** The body contains a <DialogDescription>; Radix links it as the accessible description. */
  describedInBody?: boolean;
};

/** Focus-trapped, Escape-closable dialog with a labelled title (Radix handles the a11y wiring). */
export function DialogContent({ title, description, variant = 'center', className, children, onOpenAutoFocus, onCloseAutoFocus, describedInBody }: DialogContentProps) {
  return (
    <DialogPrimitive.Portal>
      <DialogPrimitive.Overlay className="fixed inset-0 z-40 bg-zinc-950/40 backdrop-blur-[1px] data-[state=open]:animate-fade-in" />
      <DialogPrimitive.Content
        onOpenAutoFocus={onOpenAutoFocus}
        onCloseAutoFocus={onCloseAutoFocus}
        {...(description || describedInBody ? {} : { 'aria-describedby': undefined })}
        className={cn(
          'fixed z-50 flex flex-col bg-white shadow-xl focus:outline-none',
          variant === 'sheet'
            ? 'inset-y-0 right-0 w-full max-w-md border-l border-zinc-200 data-[state=open]:animate-sheet-in'
            : 'top-1/2 left-1/2 max-h-[90dvh] w-[calc(100%-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-xl ring-1 ring-zinc-200 data-[state=open]:animate-pop-in',
          className,
        )}
      >
        <div className="flex items-start justify-between gap-4 border-b border-zinc-100 px-5 py-4">
          <div className="min-w-0">
            <DialogPrimitive.Title className="text-base font-semibold text-zinc-900">{title}</DialogPrimitive.Title>
            {description ? (
              <DialogPrimitive.Description className="mt-1 text-sm text-zinc-500">{description}</DialogPrimitive.Description>
            ) : null}
          </div>
          <DialogPrimitive.Close
            className="-mr-1 rounded-md p-1 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-brand-500"
            aria-label="Close"
          >
            <X className="size-4" aria-hidden="true" />
          </DialogPrimitive.Close>
        </div>
        <div className="min-h-0 flex-1 overflow-y-auto">{children}</div>
      </DialogPrimitive.Content>
    </DialogPrimitive.Portal>
  );
}

/** Sticky footer row for dialog actions. */
export function DialogFooter({ children, className }: { children: React.ReactNode; className?: string }) {
  return (
    <div className={cn('flex items-center justify-end gap-2 border-t border-zinc-100 bg-zinc-50/60 px-5 py-3', className)}>
      {children}
    </div>
  );
}

/** The footer's "Cancel": closes the dialog; disabled while the action is pending. */
export function DialogCancel({ disabled }: { disabled?: boolean }) {
  return (
    <DialogPrimitive.Close asChild>
      <Button variant="secondary" disabled={disabled}>
        Cancel
      </Button>
    </DialogPrimitive.Close>
  );
}
