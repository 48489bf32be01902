'use client';

import { useActionState, useState, type ReactNode } from 'react';
import type { LucideIcon } from 'lucide-react';
import { toast } from 'sonner';
import type { FormState } from '../../lib/actions/result';
import { Button } from './button';
import { Dialog, DialogCancel, DialogClose, DialogContent, DialogFooter, DialogTrigger } from './dialog';
import { FormMessage } from './field';

/** What replaces the form once the action has created something whose secret is shown only now. */
export type Reveal = {
  title: string;
  description: string;
  /** Typically a <ShownOnce> with the secret, then how to use it. */
  body: ReactNode;
};

/** A button's text with its (decorative) icon. */
type Labelled = { label: string; icon: LucideIcon };

export type CreateRevealDialogProps<State extends FormState<string, string>> = {
  /** The primary button that opens the dialog. */
  trigger: Labelled;
  /** `sheet` slides in from the right; `center` (the default) is a modal. */
  variant?: 'center' | 'sheet';
  title: string;
  description: string;
  action: (state: State, formData: FormData) => Promise<State>;
  /** The state before the first submission; its `values` are the fields' defaults. */
  initial: State;
  /** The fields for the last result; remounted on each result so they show the values echoed back. */
  fields: (state: State) => ReactNode;
  /** The form-level message for a result; by default an error's message. */
  message?: (state: State) => ReactNode;
  submit: Labelled;
  /** The toast's text after a successful submission. */
  success: (state: State) => string;
  /** What a success reveals instead of the form; `undefined` keeps the form. */
  reveal: (state: State) => Reveal | undefined;
};

const errorMessage = (state: FormState<string, string>) => (state.status === 'error' ? state.message : undefined);

/**
 * "Create, then show a secret once": a button opens a form bound to a server action; a success toasts, then shows the
 * secret (an API key, a signing secret, an invite link) with a "Done" button. The form starts afresh on each opening.
 */
export function CreateRevealDialog<State extends FormState<string, string>>(props: CreateRevealDialogProps<State>) {
  const [open, setOpen] = useState(false);
  const { label, icon: Icon } = props.trigger;
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="primary">
          <Icon aria-hidden="true" />
          {label}
        </Button>
      </DialogTrigger>
      {/* Mounted only while open, so closing drops the result (and the secret with it). */}
      {open && <CreateRevealContent {...props} />}
    </Dialog>
  );
}

function CreateRevealContent<State extends FormState<string, string>>({
  variant = 'center',
  title,
  description,
  action,
  initial,
  fields,
  message = errorMessage,
  submit,
  success,
  reveal,
}: CreateRevealDialogProps<State>) {
  // Success is toasted where the action returns (like ActionForm), so no effect has to track the callbacks. The state
  // is boxed because useActionState types it as Awaited<State>, which TypeScript cannot reduce for a type parameter.
  const [{ state }, formAction, pending] = useActionState(
    async ({ state: prev }: { state: State }, formData: FormData) => {
      const next = await action(prev, formData);
      if (next.status === 'success') toast.success(success(next));
      return { state: next };
    },
    { state: initial },
  );
  const sheet = variant === 'sheet';
  const footerClass = sheet ? 'mt-auto' : undefined;
  const revealed = state.status === 'success' ? reveal(state) : undefined;

  if (revealed) {
    return (
      <DialogContent variant={variant} title={revealed.title} description={revealed.description}>
        <div className="space-y-4 px-5 py-5">{revealed.body}</div>
        <DialogFooter className={footerClass}>
          <DialogClose asChild>
            <Button variant="primary">Done</Button>
          </DialogClose>
        </DialogFooter>
      </DialogContent>
    );
  }

  const { label, icon: Icon } = submit;
  return (
    <DialogContent variant={variant} title={title} description={description}>
      <form action={formAction} noValidate className={sheet ? 'flex h-full flex-col' : undefined}>
        {/* Remounting on each result shows the values the server echoed back, even after React resets the form. */}
        <div className={sheet ? 'space-y-5 px-5 py-5' : 'space-y-4 px-5 py-5'} key={state.submittedAt}>
          <FormMessage>{message(state)}</FormMessage>
          {fields(state)}
        </div>
        <DialogFooter className={footerClass}>
          <DialogCancel disabled={pending} />
          <Button type="submit" variant="primary" pending={pending}>
            {!pending && <Icon aria-hidden="true" />}
            {label}
          </Button>
        </DialogFooter>
      </form>
    </DialogContent>
  );
}
