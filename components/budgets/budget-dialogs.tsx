'use client';

import { useRef, type ReactNode } from 'react';
import { Pencil, Plus, RotateCcw, Trash2 } from 'lucide-react';
import type { ActionResult } from '../../lib/actions/result';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { FormSheet } from '../ui/form-sheet';
import { toastResult } from '../ui/toast-result';
import { BudgetForm, type BudgetFormAction } from './budget-form';
import type { ApiKeyOption, BudgetFormValues, NotifierOption } from './budget-form-state';

/** "New budget" and its slide-over panel, closed again when the budget is created. */
export function CreateBudgetButton({ action, apiKeys, notifiers = [] }: { action: BudgetFormAction; apiKeys: ApiKeyOption[]; notifiers?: NotifierOption[] }) {
  return (
    <FormSheet
      trigger={
        <Button variant="primary">
          <Plus aria-hidden="true" />
          New budget
        </Button>
      }
      title="New budget"
      description="Caps spend, tokens or requests for a scope. Calls that would go over are refused with 429."
      focus="scope_kind"
    >
      {(close) => (
        <BudgetForm
          mode="create"
          action={action}
          apiKeys={apiKeys}
          notifiers={notifiers}
          initialValues={{ scope_kind: 'workspace', period: 'monthly', is_active: 'on' }}
          onSuccess={close}
        />
      )}
    </FormSheet>
  );
}

/** A row's "Edit": limits, period and the active switch in the same panel; the scope is fixed. */
export function EditBudgetButton({
  action,
  initialValues,
  scopeName,
  scopeSummary,
  notifiers = [],
}: {
  action: BudgetFormAction;
  initialValues: BudgetFormValues;
  notifiers?: NotifierOption[];
  /** "model “openai/gpt-4o”", for the button's accessible name. */
  scopeName: string;
  scopeSummary: ReactNode;
}) {
  return (
    <FormSheet
      trigger={
        <Button variant="ghost" size="icon" aria-label={`Edit the budget for ${scopeName}`} title="Edit">
          <Pencil aria-hidden="true" />
        </Button>
      }
      title="Edit budget"
      description={`The budget for ${scopeName}.`}
      focus="period"
    >
      {(close) => <BudgetForm mode="edit" action={action} apiKeys={[]} notifiers={notifiers} initialValues={initialValues} scopeSummary={scopeSummary} onSuccess={close} />}
    </FormSheet>
  );
}

/** A row's "Reset", with a confirmation; the page re-renders from the action, so the gauge shows 0 at once. */
export function ResetBudgetRowButton({ action, scopeName, periodLabel }: { action: () => Promise<ActionResult>; scopeName: string; periodLabel: string }) {
  return (
    <ConfirmDialog
      trigger={
        <Button variant="ghost" size="icon" aria-label={`Reset the budget for ${scopeName}`} title="Reset consumption">
          <RotateCcw aria-hidden="true" />
        </Button>
      }
      title="Reset budget consumption?"
      description={
        <>
          Consumption of the budget for {scopeName} in the current {periodLabel.toLowerCase()} window starts again from zero, so
          calls it blocks are allowed again. Usage history and analytics are kept, and the reset is recorded with your name.
        </>
      }
      confirmLabel="Reset budget"
      confirmVariant="primary"
      onConfirm={async () => toastResult(await action())}
    />
  );
}

/**
 * Where focus goes once a budget's row is gone: the next row's Delete (the previous one's at the end of the list), else
 * the search box, else the page heading, so a keyboard user is not dropped on <body>.
 */
function focusTargetAfter(row: Element | null): HTMLElement | null {
  const sibling = row?.nextElementSibling ?? row?.previousElementSibling;
  const nextDelete = sibling?.querySelector<HTMLElement>('button[aria-label^="Delete the budget"]');
  if (nextDelete) return nextDelete;
  const search = document.getElementById('budget-search');
  if (search) return search;
  const heading = document.querySelector<HTMLElement>('main h1');
  heading?.setAttribute('tabindex', '-1');
  return heading;
}

/** A row's "Delete", with a confirmation naming what stops being limited; focus moves on to a neighbour once it is gone. */
export function DeleteBudgetButton({ action, scopeName }: { action: () => Promise<ActionResult>; scopeName: string }) {
  const row = useRef<Element | null>(null);
  const focusAfter = useRef<HTMLElement | null>(null);
  return (
    <ConfirmDialog
      trigger={
        <Button variant="ghost" size="icon" aria-label={`Delete the budget for ${scopeName}`} title="Delete" onClick={(event) => (row.current = event.currentTarget.closest('tr'))}>
          <Trash2 aria-hidden="true" />
        </Button>
      }
      title="Delete this budget?"
      description={<>Calls for {scopeName} are no longer limited by it. Usage history is kept. This cannot be undone.</>}
      confirmLabel="Delete budget"
      onConfirm={async () => {
        const target = focusTargetAfter(row.current);
        const ok = toastResult(await action());
        if (ok) focusAfter.current = target;
        return ok;
      }}
      onCloseAutoFocus={(event) => {
        const target = focusAfter.current;
        focusAfter.current = null;
        if (!target?.isConnected) return;
        event.preventDefault();
        target.focus();
      }}
    />
  );
}
