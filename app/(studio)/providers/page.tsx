import type { Metadata } from 'next';
import { Plug } from 'lucide-react';
import { requireSession } from '@/lib/auth/session';
import { allows } from '@/lib/auth/roles';
import { listProviders } from '@/lib/providers/service';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { AddProviderButton } from '@/components/providers/provider-dialogs';
import { ProvidersTable } from '@/components/providers/providers-table';
import { createProviderAction, deleteProviderAction, testProviderAction, updateProviderAction } from './actions';

export const metadata: Metadata = { title: 'Providers' };

const rowActions = { update: updateProviderAction, remove: deleteProviderAction, test: testProviderAction };

export default async function ProvidersPage() {
  const session = await requireSession();
  const providers = await listProviders(session.workspaceId);
  const code = 'rounded bg-zinc-100 px-1 font-mono text-xs';
  // Adding, editing, testing and deleting providers is for admins (the actions check too); everyone else reads.
  const canEdit = allows(session.role, 'admin');

  return (
    <>
      <PageHeader
        title="Providers"
        description={
          <>
            Where the gateway sends calls: <code className={code}>openai/gpt-4o</code> goes to the provider named{' '}
            <code className={code}>openai</code>. Keys are encrypted at rest.
          </>
        }
        actions={canEdit ? <AddProviderButton action={createProviderAction} /> : null}
      />

      <Card aria-labelledby="providers-title">
        <CardHeader
          id="providers-title"
          title="Upstream providers"
          description={
            <>
              Providers set with <code className={code}>TOLLBOOTH_PROVIDER_&lt;NAME&gt;_BASE_URL</code> / <code className={code}>_API_KEY</code> are listed
              read-only; one added here with the same name takes their place.
            </>
          }
        />
        {providers.length === 0 ? (
          <EmptyState icon={<Plug />} title="No providers yet" actions={canEdit ? <AddProviderButton action={createProviderAction} /> : null} className="py-10">
            <p>Add an OpenAI-compatible API (OpenAI, a local Ollama, vLLM…), Anthropic or Google Gemini, then call its models through the router as “name/model”.</p>
          </EmptyState>
        ) : (
          <ProvidersTable providers={providers} actions={canEdit ? rowActions : undefined} />
        )}
      </Card>
    </>
  );
}
