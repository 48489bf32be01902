import { Lock } from 'lucide-react';
import type { ActionResult } from '../../lib/actions/result';
import type { ProviderInfo } from '../../lib/providers/serialize';
import { formatDateTime } from '../format';
import { Badge } from '../ui/badge';
import { Table, TBody, TD, TDActions, TH, THActions, THead, TR } from '../ui/table';
import { DeleteProviderButton, EditProviderButton } from './provider-dialogs';
import type { ProviderFormAction } from './provider-form';
import { KIND_LABELS, type ProviderFormValues } from './provider-form-state';
import { ProviderTestCell, type ProviderTestActionResult } from './provider-test';

export type ProviderRowActions = {
  update: (providerId: string, state: Parameters<ProviderFormAction>[0], formData: FormData) => ReturnType<ProviderFormAction>;
  remove: (providerId: string) => Promise<ActionResult>;
  /** By id, or by name for an environment provider. */
  test: (ref: string) => Promise<ProviderTestActionResult>;
};

const editValues = (p: ProviderInfo): ProviderFormValues => ({ name: p.name, kind: p.kind, base_url: p.baseUrl });
const envVariable = (name: string) => `TOLLBOOTH_PROVIDER_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_*`;

function MaskedKey({ provider }: { provider: ProviderInfo }) {
  if (!provider.hasApiKey) return <span className="text-zinc-500">None</span>;
  return (
    <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs whitespace-nowrap text-zinc-700" title="Only the last 4 characters are ever shown">
      ••••{provider.apiKeyHint}
    </code>
  );
}

/** Where a provider comes from: added here (database) or the environment's variables (read-only, maybe overridden). */
function SourceBadge({ provider: p }: { provider: ProviderInfo }) {
  if (p.source === 'database') {
    return (
      <span title={p.updatedAt ? `Added in the Studio or the API; updated ${formatDateTime(p.updatedAt)}` : undefined}>
        <Badge tone="brand">Database</Badge>
      </span>
    );
  }
  return (
    <>
      <span title={`Configured by ${envVariable(p.name)}`}>
        <Badge tone="neutral">Environment</Badge>
      </span>
      {p.overridden && (
        <span title={`The provider named “${p.name}” added in the Studio or the API takes its place`}>
          <Badge tone="amber">Overridden</Badge>
        </span>
      )}
    </>
  );
}

/** Database providers (editable) and environment ones (read-only), with their last connection test; without `actions` (not an admin), read-only. */
export function ProvidersTable({ providers, actions }: { providers: ProviderInfo[]; actions?: ProviderRowActions }) {
  const envNames = new Set(providers.filter((p) => p.source === 'environment').map((p) => p.name));
  return (
    <Table label="Providers">
      <THead>
        <tr>
          <TH>Name</TH>
          <TH>Kind</TH>
          <TH>Base URL</TH>
          <TH>API key</TH>
          <TH>Last test (UTC)</TH>
          {actions && <THActions />}
        </tr>
      </THead>
      <TBody>
        {providers.map((p) => {
          const ref = p.id ?? p.name;
          return (
            <TR key={`${p.source}:${ref}`} data-provider-row={p.name} data-source={p.source} className={p.overridden ? 'text-zinc-500' : undefined}>
              <TD className="whitespace-nowrap">
                <span className={`font-mono text-[13px] ${p.overridden ? 'text-zinc-500 line-through decoration-zinc-300' : 'font-medium text-zinc-900'}`}>{p.name}</span>
                <div className="mt-1 flex items-center gap-1.5">
                  <SourceBadge provider={p} />
                </div>
              </TD>
              <TD className="whitespace-nowrap text-zinc-700">{KIND_LABELS[p.kind]}</TD>
              <TD className="max-w-64">
                <span className="block truncate font-mono text-xs text-zinc-700" title={p.baseUrl}>
                  {p.baseUrl}
                </span>
              </TD>
              <TD>
                <MaskedKey provider={p} />
              </TD>
              <TD>
                <ProviderTestCell name={p.name} initial={p.lastTest} stored={p.source === 'database'} action={actions?.test.bind(null, ref)} />
              </TD>
              {actions && (
                <TDActions>
                  {p.id ? (
                    <>
                      <EditProviderButton
                        action={actions.update.bind(null, p.id)}
                        initialValues={editValues(p)}
                        name={p.name}
                        keyHint={p.hasApiKey ? (p.apiKeyHint ?? '') : undefined}
                      />
                      <DeleteProviderButton action={actions.remove.bind(null, p.id)} name={p.name} hasEnvFallback={envNames.has(p.name)} />
                    </>
                  ) : (
                    <span className="inline-flex size-8 items-center justify-center text-zinc-400" title={`Read-only: configured by ${envVariable(p.name)} environment variables`}>
                      <Lock className="size-4" aria-hidden="true" />
                      <span className="sr-only">Read-only: configured by environment variables</span>
                    </span>
                  )}
                </TDActions>
              )}
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}
