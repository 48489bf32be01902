'use client';

import { Fragment, useActionState, useEffect, useRef, useState } from 'react';
import { toast } from 'sonner';
import type { FormState } from '../../lib/actions/result';
import { Button } from './button';
import { DialogCancel, DialogFooter } from './dialog';
import { FormMessage } from './field';

/**
 * A panel's form bound to a server action: the action validates with the API's zod schemas; errors show inline, typed
 * values stay. `children` renders the fields for each result.
 */
export function ActionForm<Field extends string, Value extends string = Field>({
  action,
  initialValues,
  submitLabel,
  onSuccess,
  children,
}: {
  action: (state: FormState<Field, Value>, formData: FormData) => Promise<FormState<Field, Value>>;
  initialValues: Partial<Record<Value, string>>;
  submitLabel: string;
  /** Called once per successful submission (e.g. to close the panel). */
  onSuccess?: () => void;
  children: (state: FormState<Field, Value>) => React.ReactNode;
}) {
  const initialState: FormState<Field, Value> = { status: 'idle', fieldErrors: {}, values: initialValues, submittedAt: 0 };
  const onSuccessRef = useRef(onSuccess);
  useEffect(() => {
    onSuccessRef.current = onSuccess;
  });
  // Success is handled where the action returns, not in an effect: the panel may unmount as the page re-renders.
  const [state, formAction, pending] = useActionState(async (prev: FormState<Field, Value>, formData: FormData) => {
    const next = await action(prev, formData);
    if (next.status === 'success') {
      toast.success(next.message ?? 'Saved');
      onSuccessRef.current?.();
    }
    return next;
  }, initialState);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (state.status === 'error') formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [state]);

  return (
    <form ref={formRef} action={formAction} noValidate className="flex h-full flex-col">
      {/* Remounting on each result shows the values the server echoed back, even after React resets the form. */}
      <Fragment key={state.submittedAt}>{children(state)}</Fragment>
      <DialogFooter className="mt-auto">
        <DialogCancel disabled={pending} />
        <Button type="submit" variant="primary" pending={pending}>
          {submitLabel}
        </Button>
      </DialogFooter>
    </form>
  );
}

/**
 * The body of an action form: the form-level message, then the fields with their errors. A field's error goes away
 * as soon as it is edited; the next submission re-checks everything.
 */
export function FormFields<Field extends string>({
  state,
  children,
}: {
  state: Pick<FormState<Field>, 'status' | 'message' | 'fieldErrors'>;
  children: (errors: Partial<Record<Field, string>>) => React.ReactNode;
}) {
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());
  const errors = Object.fromEntries(Object.entries(state.fieldErrors).filter(([field]) => !edited.has(field))) as Partial<Record<Field, string>>;
  const markEdited = (event: React.FormEvent<HTMLDivElement>) => {
    const name = (event.target as HTMLInputElement).name;
    if (name && name in state.fieldErrors && !edited.has(name)) setEdited(new Set(edited).add(name));
  };

  return (
    <div className="space-y-5 px-5 py-5" onInput={markEdited} onChange={markEdited}>
      {/* "Fix the highlighted fields" goes once every highlighted field has been edited. */}
      {state.status === 'error' && state.message && (Object.keys(state.fieldErrors).length === 0 || Object.keys(errors).length > 0) && (
        <FormMessage>{state.message}</FormMessage>
      )}
      {children(errors)}
    </div>
  );
}
