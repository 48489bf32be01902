import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { Breadcrumb } from '@/components/ui/breadcrumb';
import { requireSession } from '@/lib/auth/session';
import { allows } from '@/lib/auth/roles';
import { promptVariables } from '@/lib/deployments/template';
import { getDeployment, listProviderNames } from '@/lib/deployments/views';
import { Badge } from '@/components/ui/badge';
import { Card, CardHeader } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { formatDate, formatDateTime } from '@/components/format';
import { DeploymentPrompt, DeploymentSettings } from '@/components/deployments/deployment-config';
import { DeleteDeploymentButton, EditDeploymentButton } from '@/components/deployments/deployment-dialogs';
import { deploymentFormValues } from '@/components/deployments/deployments-table';
import { DeploymentCallers, DeploymentStats, DeploymentUsage } from '@/components/deployments/deployment-widgets';
import { ChartRowSkeleton, LinesSkeleton, StatGridSkeleton } from '@/components/ui/skeleton';
import { deleteDeploymentAction, updateDeploymentAction } from '../actions';

type Params = Promise<{ deploymentId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const session = await requireSession();
  const deployment = await getDeployment(session.workspaceId, (await params).deploymentId);
  return { title: deployment ? deployment.key : 'Deployment not found' };
}

export default async function DeploymentPage({ params }: { params: Params }) {
  const session = await requireSession();
  const deployment = await getDeployment(session.workspaceId, (await params).deploymentId);
  if (!deployment) notFound();
  const providerNames = await listProviderNames(session.workspaceId);
  const now = new Date();

  return (
    <>
      <Breadcrumb parent={{ href: '/deployments', label: 'Deployments' }} current={deployment.key} currentClassName="truncate font-mono" />

      <header className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="truncate font-mono text-xl font-semibold tracking-tight text-zinc-900 sm:text-2xl">{deployment.key}</h1>
            <CopyButton value={deployment.key} label="Copy key" variant="ghost" size="icon" showLabel={false} />
            <Badge tone="neutral">Version {deployment.version}</Badge>
          </div>
          {deployment.description && <p className="mt-1 max-w-3xl text-sm text-zinc-600">{deployment.description}</p>}
          <p className="mt-1 text-sm text-zinc-500">
            Created {formatDate(deployment.createdAt)} · <span title={formatDateTime(deployment.updatedAt)}>updated {formatDate(deployment.updatedAt)}</span>
          </p>
        </div>
        {allows(session.role, 'admin') && (
          <div className="flex items-center gap-2">
            <EditDeploymentButton
              action={updateDeploymentAction.bind(null, deployment.id)}
              initialValues={deploymentFormValues(deployment)}
              providerNames={providerNames}
              variant="button"
            />
            <DeleteDeploymentButton action={deleteDeploymentAction.bind(null, deployment.id, true)} deploymentKey={deployment.key} variant="button" />
          </div>
        )}
      </header>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-5">
        <Card className="lg:col-span-2" aria-labelledby="settings-title">
          <CardHeader id="settings-title" title="Configuration" />
          <DeploymentSettings deployment={deployment} />
        </Card>
        <Card className="lg:col-span-3" aria-labelledby="stats-title">
          <CardHeader id="stats-title" title="Last 30 days" />
          <Suspense fallback={<StatGridSkeleton />}>
            <DeploymentStats deploymentId={deployment.id} now={now} />
          </Suspense>
        </Card>
      </div>

      <Card className="mt-6" aria-labelledby="prompt-title">
        <CardHeader id="prompt-title" title="Prompt" description="Variables are filled from each call's inputs; the call's own messages follow." />
        <DeploymentPrompt deployment={deployment} />
      </Card>

      <Card className="mt-6" aria-labelledby="usage-title">
        <CardHeader id="usage-title" title="Usage" description="Per UTC day, last 30 days" />
        <Suspense fallback={<ChartRowSkeleton />}>
          <DeploymentUsage deploymentId={deployment.id} deploymentKey={deployment.key} variables={promptVariables(deployment.messages)} now={now} />
        </Suspense>
      </Card>

      <Card className="mt-6" aria-labelledby="callers-title">
        <CardHeader id="callers-title" title="Identities" description="Who called this deployment in the last 30 days, by spend" />
        <Suspense fallback={<LinesSkeleton rows={4} />}>
          <DeploymentCallers workspaceId={session.workspaceId} deploymentId={deployment.id} now={now} />
        </Suspense>
      </Card>
    </>
  );
}
