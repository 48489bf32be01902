// The detail page's widgets that fetch their own data (each in its own Suspense boundary).
import Link from 'next/link';
import { Activity, Users } from 'lucide-react';
import { getDeploymentDailyUsage, getDeploymentMetrics, listDeploymentCallers, zeroDeploymentMetrics } from '../../lib/deployments/views';
import { formatCompact, formatInteger, formatMicros, formatPercent } from '../format';
import { EmptyState } from '../ui/empty-state';
import { Stat } from '../ui/stat';
import { Table, TBody, TD, TH, THead, TR } from '../ui/table';
import { UserText } from '../ui/user-text';
import { UsageCharts } from '../identities/usage-charts';
import { chartPoints } from '../identities/chart-points';

/** Spend, requests, tokens and error rate of the last 30 days. */
export async function DeploymentStats({ deploymentId, now }: { deploymentId: string; now: Date }) {
  const m = (await getDeploymentMetrics([deploymentId], now)).get(deploymentId) ?? zeroDeploymentMetrics();
  const errorRate = m.requests > 0 ? m.errors / m.requests : 0;
  return (
    <dl className="grid grid-cols-2 gap-3 px-5 py-4 sm:grid-cols-4" data-testid="deployment-stats">
      <Stat label="Spend" value={formatMicros(m.costMicros)} hint={m.unpricedRequests > 0 ? `${formatInteger(m.unpricedRequests)} unpriced` : undefined} />
      <Stat label="Requests" value={formatInteger(m.requests)} />
      <Stat label="Tokens" value={<span title={formatInteger(m.tokens)}>{formatCompact(m.tokens)}</span>} />
      <Stat label="Error rate" value={m.requests > 0 ? formatPercent(errorRate) : '—'} tone={errorRate >= 0.05 ? 'danger' : undefined} />
    </dl>
  );
}

/** Daily spend, requests and tokens; until the first call, how to make one. */
export async function DeploymentUsage({ deploymentId, deploymentKey, variables, now }: { deploymentId: string; deploymentKey: string; variables: string[]; now: Date }) {
  const days = await getDeploymentDailyUsage(deploymentId, now, 30);
  if (days.every((d) => d.requests === 0)) {
    const inputs = variables.length > 0 ? `, inputs: { ${variables.map((v) => `${/^[A-Za-z_$][\w$]*$/.test(v) ? v : JSON.stringify(v)}: '…'`).join(', ')} }` : '';
    return (
      <EmptyState icon={<Activity />} title="No calls yet" className="py-10">
        <p>Calls made through this deployment in the last 30 days show here, per UTC day. Invoke it with the orq SDK:</p>
        <pre className="mt-3 rounded-lg bg-zinc-950 px-4 py-3 text-left font-mono text-xs break-all whitespace-pre-wrap text-zinc-100">
          {`await orq.deployments.invoke({ key: ${JSON.stringify(deploymentKey)}${inputs} });`}
        </pre>
      </EmptyState>
    );
  }
  return <UsageCharts data={chartPoints(days)} />;
}

/** The identities that called the deployment most, by spend. */
export async function DeploymentCallers({ workspaceId, deploymentId, now }: { workspaceId: string; deploymentId: string; now: Date }) {
  const callers = await listDeploymentCallers(workspaceId, deploymentId, now, 10);
  if (callers.length === 0) {
    return (
      <EmptyState icon={<Users />} title="No callers in the last 30 days" className="py-10">
        <p>Identities that call this deployment (the SDK&apos;s identity field) are listed here by spend.</p>
      </EmptyState>
    );
  }
  const total = callers.reduce((sum, c) => sum + c.costMicros, 0n);
  return (
    <Table label="Identities that called this deployment">
      <THead>
        <tr>
          <TH>Identity</TH>
          <TH align="right">Requests</TH>
          <TH align="right">Tokens</TH>
          <TH align="right">Errors</TH>
          <TH align="right">Spend</TH>
          <TH align="right">Share</TH>
        </tr>
      </THead>
      <TBody>
        {callers.map((c) => (
          <TR key={c.identityId} data-caller={c.externalId}>
            <TD>
              <Link href={`/identities/${c.identityId}`} className="rounded font-medium text-zinc-900 hover:text-brand-700 hover:underline focus-visible:outline-2 focus-visible:outline-brand-500">
                <UserText text={c.displayName || c.externalId} />
              </Link>
              {c.displayName && (
                <span className="ml-2 font-mono text-xs text-zinc-500">
                  <UserText text={c.externalId} />
                </span>
              )}
            </TD>
            <TD align="right">{formatInteger(c.requests)}</TD>
            <TD align="right">
              <span title={formatInteger(c.tokens)}>{formatCompact(c.tokens)}</span>
            </TD>
            <TD align="right" className={c.errors > 0 ? 'text-red-700' : 'text-zinc-500'}>
              {formatInteger(c.errors)}
            </TD>
            <TD align="right" className="font-medium text-zinc-900">
              {formatMicros(c.costMicros)}
            </TD>
            <TD align="right" className="text-zinc-600">
              {total > 0n ? formatPercent(Number(c.costMicros) / Number(total)) : '—'}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
