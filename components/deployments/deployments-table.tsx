import Link from 'next/link';
import type { ActionResult } from '../../lib/actions/result';
import type { Deployment } from '../../lib/deployments/schema';
import type { DeploymentListRow } from '../../lib/deployments/views';
import { formatCompact, formatDate, formatDateTime, formatInteger, formatMicros, formatPercent } from '../format';
import { Table, TBody, TD, TDActions, TH, THActions, THead, TR } from '../ui/table';
import { DeleteDeploymentButton, EditDeploymentButton } from './deployment-dialogs';
import type { DeploymentFormAction } from './deployment-form';
import type { DeploymentFormValues } from './deployment-form-state';

export type DeploymentRowActions = {
  update: (deploymentId: string, state: Parameters<DeploymentFormAction>[0], formData: FormData) => ReturnType<DeploymentFormAction>;
  remove: (deploymentId: string, backToList: boolean) => Promise<ActionResult>;
};

const text = (value: unknown) => (typeof value === 'number' ? String(value) : '');

/** A deployment as the edit form shows it. */
export function deploymentFormValues(deployment: Deployment): DeploymentFormValues {
  return {
    key: deployment.key,
    model: `${deployment.provider}/${deployment.model}`,
    description: deployment.description,
    messages: JSON.stringify(deployment.messages),
    temperature: text(deployment.parameters.temperature),
    max_tokens: text(deployment.parameters.max_tokens),
    top_p: text(deployment.parameters.top_p),
    fallbacks: JSON.stringify(deployment.fallbacks),
  };
}

/** "provider/" muted, the model in full. */
export function ModelId({ id, size = 'md' }: { id: string; size?: 'sm' | 'md' }) {
  const slash = id.indexOf('/');
  return (
    <span className={`font-mono whitespace-nowrap ${size === 'sm' ? 'text-xs' : 'text-[13px]'}`}>
      <span className="text-zinc-500">{id.slice(0, slash + 1)}</span>
      <span className="font-medium text-zinc-900">{id.slice(slash + 1)}</span>
    </span>
  );
}

/** The workspace's deployments with their last 30 days of calls; without `actions` (not an admin), read-only. */
export function DeploymentsTable({ rows, actions, providerNames }: { rows: DeploymentListRow[]; actions?: DeploymentRowActions; providerNames: string[] }) {
  return (
    <Table label="Deployments">
      <THead>
        <tr>
          <TH>Key</TH>
          <TH>Model, then fallbacks</TH>
          <TH align="right">Requests</TH>
          <TH align="right">Spend</TH>
          <TH align="right">Tokens</TH>
          <TH align="right">Error rate</TH>
          <TH>Updated</TH>
          {actions && <THActions />}
        </tr>
      </THead>
      <TBody>
        {rows.map(({ deployment: d, metrics: m }) => (
          <TR key={d.id} data-deployment-row={d.key}>
            <TD className="max-w-56">
              <Link
                href={`/deployments/${d.id}`}
                title={d.key}
                className="block truncate rounded font-mono text-[13px] font-medium text-zinc-900 hover:text-brand-700 hover:underline focus-visible:outline-2 focus-visible:outline-brand-500"
              >
                {d.key}
              </Link>
              {d.description && (
                <p className="truncate text-xs text-zinc-500" title={d.description}>
                  {d.description}
                </p>
              )}
            </TD>
            <TD className="max-w-72">
              <ModelId id={`${d.provider}/${d.model}`} />
              {d.fallbacks.length > 0 && (
                <ol className="mt-0.5 space-y-0.5 text-xs" aria-label="Fallbacks" data-testid="deployment-fallbacks">
                  {d.fallbacks.map((id) => (
                    <li key={id} className="flex min-w-0 items-baseline gap-1" title={id}>
                      <span className="shrink-0 text-zinc-400" aria-hidden="true">
                        ↳
                      </span>
                      <span className="truncate">
                        <ModelId id={id} size="sm" />
                      </span>
                    </li>
                  ))}
                </ol>
              )}
            </TD>
            <TD align="right" data-testid="deployment-requests">
              {formatInteger(m.requests)}
            </TD>
            <TD align="right" data-testid="deployment-spend">
              <span title={m.unpricedRequests > 0 ? `${formatInteger(m.unpricedRequests)} calls without a price` : undefined}>{formatMicros(m.costMicros)}</span>
            </TD>
            <TD align="right" data-testid="deployment-tokens">
              <span title={formatInteger(m.tokens)}>{formatCompact(m.tokens)}</span>
            </TD>
            <TD align="right" data-testid="deployment-error-rate" className={m.requests > 0 && m.errors / m.requests >= 0.05 ? 'text-red-700' : undefined}>
              {m.requests > 0 ? formatPercent(m.errors / m.requests) : <span className="text-zinc-400">—</span>}
            </TD>
            <TD className="whitespace-nowrap text-zinc-700">
              <span title={formatDateTime(d.updatedAt)}>{formatDate(d.updatedAt)}</span>
              <span className="block text-xs text-zinc-500">version {d.version}</span>
            </TD>
            {actions && (
              <TDActions>
                <EditDeploymentButton action={actions.update.bind(null, d.id)} initialValues={deploymentFormValues(d)} providerNames={providerNames} />
                <DeleteDeploymentButton action={actions.remove.bind(null, d.id, false)} deploymentKey={d.key} />
              </TDActions>
            )}
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
