'use client';

import { useState, useTransition } from 'react';
import { Button, type ButtonVariant } from './button';
import { Dialog, DialogCancel, DialogContent, DialogDescription, DialogFooter, DialogTrigger } from './dialog';

type ConfirmDialogProps = {
  trigger: React.ReactElement;
  title: string;
  description: React.ReactNode;
  confirmLabel: string;
  confirmVariant?: ButtonVariant;
  /** Runs on confirm; resolve `false` (or throw) to keep the dialog open. */
  onConfirm: () => Promise<boolean | void>;
  /** Where focus goes on close, e.g. when the confirmed step removed the trigger (see DialogContent). */
  onCloseAutoFocus?: (event: Event) => void;
};

/** Asks before a destructive step; the confirm button shows progress and the dialog closes when done. */
export function ConfirmDialog({ trigger, title, description, confirmLabel, confirmVariant = 'danger', onConfirm, onCloseAutoFocus }: ConfirmDialogProps) {
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();

  const confirm = () =>
    startTransition(async () => {
      const result = await onConfirm();
      if (result !== false) setOpen(false);
    });

  return (
    <Dialog open={open} onOpenChange={(next) => !pending && setOpen(next)}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent title={title} describedInBody onCloseAutoFocus={onCloseAutoFocus}>
        <DialogDescription asChild>
          <div className="px-5 py-4 text-sm text-zinc-600">{description}</div>
        </DialogDescription>
        <DialogFooter>
          <DialogCancel disabled={pending} />
          <Button variant={confirmVariant} pending={pending} onClick={confirm}>
            {confirmLabel}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
