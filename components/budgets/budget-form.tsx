'use client';

import { useState } from 'react';
import Link from 'next/link';
import type { ScopeKind } from '../../lib/budgets/scopes';
import { ActionForm, FormFields } from '../ui/action-form';
import { Field } from '../ui/field';
import { DollarInput, Input, Select } from '../ui/input';
import { Switch } from '../ui/switch';
import { BUDGET_PERIOD_OPTIONS, type ApiKeyOption, type BudgetFormState, type BudgetFormValues, type NotifierOption } from './budget-form-state';
import { SCOPE_KIND_LABELS, SCOPE_KIND_ORDER, isScopeKind } from './scope-labels';

export type BudgetFormAction = (state: BudgetFormState, formData: FormData) => Promise<BudgetFormState>;

type BudgetFormProps = {
  mode: 'create' | 'edit';
  action: BudgetFormAction;
  initialValues: BudgetFormValues;
  apiKeys: ApiKeyOption[];
  /** The workspace's notifiers, offered for budget alerts. */
  notifiers?: NotifierOption[];
  /** Edit: the scope, which cannot change, shown read-only. */
  scopeSummary?: React.ReactNode;
  /** Called once per successful submission (e.g. to close the panel). */
  onSuccess?: () => void;
};

/** Create / edit a budget: the server action validates with the API's zod schemas; errors show inline, typed values stay. */
export function BudgetForm({ mode, action, initialValues, apiKeys, notifiers = [], scopeSummary, onSuccess }: BudgetFormProps) {
  return (
    <ActionForm action={action} initialValues={initialValues} submitLabel={mode === 'create' ? 'Create budget' : 'Save changes'} onSuccess={onSuccess}>
      {(state) => <BudgetFields mode={mode} state={state} stored={initialValues} apiKeys={apiKeys} notifiers={notifiers} scopeSummary={scopeSummary} />}
    </ActionForm>
  );
}

const SCOPE_HINTS: Record<ScopeKind, string> = {
  workspace: 'Every call in the workspace counts towards it.',
  identity: 'The calls of one user, team, project or client.',
  api_key: 'The calls made with one API key.',
  provider: 'The calls to every model of one provider.',
  model: 'The calls to one model, whoever makes them.',
};

/** Said of a limit the budget has: the API can change it but not remove it. */
const KEPT_LIMIT_HINT = 'Can be changed, not removed.';

// Side by side from sm up, each field spans three rows of the parent grid (label, control, message), so the two
// controls stay level when one label wraps or one error is long.
const SIDE_BY_SIDE = 'sm:row-span-3 sm:grid sm:grid-rows-subgrid sm:content-start sm:space-y-0';

function BudgetFields({
  mode,
  state,
  stored,
  apiKeys,
  notifiers,
  scopeSummary,
}: {
  mode: 'create' | 'edit';
  state: BudgetFormState;
  /** The values the form opened with: in an edit, the limits the budget has. */
  stored: BudgetFormValues;
  apiKeys: ApiKeyOption[];
  notifiers: NotifierOption[];
  scopeSummary?: React.ReactNode;
}) {
  const v = state.values;
  // An edit cannot remove a limit the budget has (the API has no way to): such a field is not "Optional".
  const kept = (field: 'amount' | 'token_limit' | 'requests_per_minute') => mode === 'edit' && (stored[field] ?? '') !== '';
  const [kind, setKind] = useState<ScopeKind>(isScopeKind(v.scope_kind ?? '') ? (v.scope_kind as ScopeKind) : 'workspace');
  const [active, setActive] = useState(v.is_active !== '');

  return (
    <FormFields state={state}>
      {(e) => (
        <>
          {mode === 'create' ? (
            <div className="space-y-4 rounded-lg border border-zinc-200 p-4">
              <Field id="scope_kind" label="Applies to" error={e.scope_kind} hint={SCOPE_HINTS[kind]}>
                {(aria) => (
                  <Select {...aria} name="scope_kind" value={kind} onChange={(event) => setKind(event.target.value as ScopeKind)}>
                    {SCOPE_KIND_ORDER.map((k) => (
                      <option key={k} value={k}>
                        {k === 'workspace' ? 'The whole workspace' : SCOPE_KIND_LABELS[k]}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              <div hidden={kind !== 'identity'}>
                <Field id="identity_external_id" label="External ID" error={e.identity_external_id} hint="The identity’s external ID, e.g. user_12345.">
                  {(aria) => (
                    <Input {...aria} name="identity_external_id" defaultValue={v.identity_external_id} autoComplete="off" spellCheck={false} placeholder="user_12345" className="font-mono" />
                  )}
                </Field>
              </div>
              <div hidden={kind !== 'api_key'}>
                <Field
                  id="api_key_id"
                  label="API key"
                  error={e.api_key_id}
                  hint={apiKeys.length === 0 ? 'No active API keys: create one on the API keys page first.' : 'Calls authenticated with this key.'}
                >
                  {(aria) => (
                    <Select {...aria} name="api_key_id" defaultValue={v.api_key_id ?? ''} disabled={apiKeys.length === 0}>
                      <option value="">Choose a key…</option>
                      {apiKeys.map((key) => (
                        <option key={key.id} value={key.id}>
                          {key.name} ({key.prefix}…)
                        </option>
                      ))}
                    </Select>
                  )}
                </Field>
              </div>
              <div hidden={kind !== 'provider'}>
                <Field id="provider" label="Provider" error={e.provider} hint="As in model ids, e.g. openai, anthropic, groq.">
                  {(aria) => <Input {...aria} name="provider" defaultValue={v.provider} autoComplete="off" spellCheck={false} placeholder="openai" className="font-mono" />}
                </Field>
              </div>
              <div hidden={kind !== 'model'}>
                <Field id="model_id" label="Model" error={e.model_id} hint="provider/model, as the router names it.">
                  {(aria) => <Input {...aria} name="model_id" defaultValue={v.model_id} autoComplete="off" spellCheck={false} placeholder="openai/gpt-4o" className="font-mono" />}
                </Field>
              </div>
            </div>
          ) : (
            scopeSummary
          )}

          <fieldset className="space-y-4">
            <legend className="mb-3 text-sm font-semibold text-zinc-900">Limits</legend>
            <Field id="period" label="Period" error={e.period} hint="Windows follow the UTC calendar; weeks start on Monday.">
              {(aria) => (
                <Select {...aria} name="period" defaultValue={v.period || 'monthly'}>
                  {BUDGET_PERIOD_OPTIONS.map((p) => (
                    <option key={p.value} value={p.value}>
                      {p.label}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field id="amount" label="Amount (USD)" error={e.amount} hint={kept('amount') ? KEPT_LIMIT_HINT : 'Leave empty for a token or rate limit alone.'}>
              {(aria) => <DollarInput {...aria} name="amount" defaultValue={v.amount} placeholder="100.00" />}
            </Field>
            <div className="grid grid-cols-1 gap-x-4 gap-y-4 sm:grid-cols-2 sm:gap-y-1.5">
              <Field
                id="token_limit"
                label="Token limit"
                optional={!kept('token_limit')}
                error={e.token_limit}
                hint={kept('token_limit') ? KEPT_LIMIT_HINT : undefined}
                className={SIDE_BY_SIDE}
              >
                {(aria) => <Input {...aria} name="token_limit" inputMode="numeric" defaultValue={v.token_limit} placeholder="1,000,000" className="tabular-nums" autoComplete="off" />}
              </Field>
              <Field
                id="requests_per_minute"
                label="Requests per minute"
                optional={!kept('requests_per_minute')}
                error={e.requests_per_minute}
                hint={kept('requests_per_minute') ? KEPT_LIMIT_HINT : undefined}
                className={SIDE_BY_SIDE}
              >
                {(aria) => <Input {...aria} name="requests_per_minute" inputMode="numeric" defaultValue={v.requests_per_minute} placeholder="60" className="tabular-nums" autoComplete="off" />}
              </Field>
            </div>
          </fieldset>

          <AlertFields values={v} errors={e} notifiers={notifiers} />

          {mode === 'edit' && (
            <div className="rounded-lg border border-zinc-200 p-4">
              <div className="flex items-start justify-between gap-4">
                <div>
                  <label htmlFor="is_active" className="text-sm font-medium text-zinc-800">
                    Active
                  </label>
                  <p id="is_active-hint" className="mt-0.5 text-xs text-zinc-500">
                    A paused budget keeps counting but refuses no calls.
                  </p>
                </div>
                <Switch id="is_active" name="is_active" checked={active} onCheckedChange={setActive} aria-describedby="is_active-hint" />
              </div>
              {e.is_active && (
                <p className="mt-2 text-sm text-red-700" data-field-error>
                  {e.is_active}
                </p>
              )}
            </div>
          )}
        </>
      )}
    </FormFields>
  );
}

/** Alerts: the percentages to notify at and the notifiers to tell (Standard Webhooks messages, once per window). */
function AlertFields({ values, errors, notifiers }: { values: BudgetFormValues; errors: Partial<Record<string, string>>; notifiers: NotifierOption[] }) {
  const checked = new Set((values.alert_notifier_ids ?? '').split(',').filter(Boolean));
  // A notifier named by a stored alert but deleted since is still listed, so saving does not drop it silently.
  const options = [...notifiers, ...[...checked].filter((id) => !notifiers.some((n) => n.id === id)).map((id) => ({ id, name: `Deleted notifier (${id})` }))];
  return (
    <fieldset className="space-y-4">
      <legend className="mb-3 text-sm font-semibold text-zinc-900">Alerts</legend>
      <Field
        id="alert_thresholds"
        label="Alert at (% of the limit)"
        optional
        error={errors.alert_thresholds}
        hint="Each threshold notifies once per budget window, also when a call is refused at 100 %."
      >
        {(aria) => <Input {...aria} name="alert_thresholds" defaultValue={values.alert_thresholds} placeholder="80, 100" autoComplete="off" className="tabular-nums" />}
      </Field>
      <div role="group" aria-labelledby="alert_notifier_ids-label" aria-describedby={errors.alert_notifier_ids ? 'alert_notifier_ids-error' : undefined}>
        <p id="alert_notifier_ids-label" className="text-sm font-medium text-zinc-800">
          Notify
        </p>
        {options.length === 0 ? (
          <p className="mt-1 text-xs text-zinc-500">
            No notifiers yet: an admin adds webhook endpoints under{' '}
            <Link href="/notifiers" className="text-brand-700 hover:underline">
              Notifiers
            </Link>
            .
          </p>
        ) : (
          <ul className="mt-2 space-y-1.5">
            {options.map((n) => (
              <li key={n.id}>
                <label className="flex items-center gap-2 text-sm text-zinc-700">
                  <input type="checkbox" name="alert_notifier_ids" value={n.id} defaultChecked={checked.has(n.id)} className="size-4 rounded border-zinc-300 accent-zinc-900" />
                  {n.name}
                </label>
              </li>
            ))}
          </ul>
        )}
        {errors.alert_notifier_ids && (
          <p id="alert_notifier_ids-error" className="mt-2 text-sm text-red-700" data-field-error>
            {errors.alert_notifier_ids}
          </p>
        )}
      </div>
    </fieldset>
  );
}
