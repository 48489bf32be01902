import type { Metadata } from 'next';
import Link from 'next/link';
import { KeyRound } from 'lucide-react';
import { requireSession } from '@/lib/auth/session';
import { allows } from '@/lib/auth/roles';
import { API_KEY_SCOPE_LABELS, asApiKeyScope } from '@/lib/api-keys/scope';
import { listApiKeys } from '@/lib/api-keys/service';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TBody, TD, TH, THActions, THead, TR } from '@/components/ui/table';
import { formatDate, formatDateTime, formatRelative } from '@/components/format';
import { CreateApiKeyButton } from '@/components/api-keys/create-api-key-button';
import { RevokeApiKeyButton } from '@/components/api-keys/revoke-api-key-button';
import { UserText } from '@/components/ui/user-text';
import { KeyOwnerButton } from '@/components/api-keys/key-owner-button';
import { createApiKeyAction, revokeApiKeyAction, setApiKeyOwnerAction } from './actions';

export const metadata: Metadata = { title: 'API keys' };

const createdByLabel = (createdBy: string | null) =>
  !createdBy ? null : createdBy === 'environment' ? 'TOLLBOOTH_API_KEY' : createdBy.replace(/^user:/, '');

export default async function ApiKeysPage() {
  const session = await requireSession();
  const keys = await listApiKeys(session.workspaceId);
  const now = new Date();
  // Viewers read; creating keys, setting owners and revoking are for members and admins (the actions check too).
  const canManage = allows(session.role, 'manage');
  const create = canManage ? <CreateApiKeyButton action={createApiKeyAction} /> : null;

  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys authenticate calls to the API: the router, deployments, usage ingestion, identities and budgets. Send one as “Authorization: Bearer <key>”. A key's owner identity is charged for its calls that name no identity."
        actions={create}
      />
      <Card>
        {keys.length === 0 ? (
          <EmptyState icon={<KeyRound />} title="No API keys yet" actions={create}>
            <p>Create a key for each application that reports usage, so you can revoke one without touching the others.</p>
          </EmptyState>
        ) : (
          <Table label="API keys">
            <THead>
              <tr>
                <TH>Name</TH>
                <TH>Key</TH>
                <TH>Access</TH>
                <TH>Owner identity</TH>
                <TH>Created</TH>
                <TH>Last used</TH>
                <TH>Status</TH>
                {canManage && <THActions />}
              </tr>
            </THead>
            <TBody>
              {keys.map((key) => {
                const by = createdByLabel(key.createdBy);
                const scope = asApiKeyScope(key.scope);
                return (
                  <TR key={key.id} data-api-key={key.name} className={key.revokedAt ? 'text-zinc-500' : undefined}>
                    <TD className="font-medium text-zinc-900">
                      <span className={key.revokedAt ? 'text-zinc-500 line-through decoration-zinc-300' : undefined}>{key.name}</span>
                    </TD>
                    <TD>
                      <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-700">{key.prefix}…</code>
                    </TD>
                    <TD data-testid="key-scope">
                      <span title={scope === 'read_only' ? 'Reads and budget checks only: changes and calls get 403' : 'Reads, changes and gateway calls'}>
                        <Badge tone={scope === 'read_only' ? 'blue' : 'neutral'}>{API_KEY_SCOPE_LABELS[scope]}</Badge>
                      </span>
                    </TD>
                    <TD className="max-w-48 truncate">
                      {key.ownerIdentity ? (
                        <Link href={`/identities/${key.ownerIdentity.id}`} className="text-brand-700 hover:underline" title={key.ownerIdentity.externalId}>
                          <UserText text={key.ownerIdentity.displayName ?? key.ownerIdentity.externalId} truncate />
                        </Link>
                      ) : (
                        <span className="text-zinc-500">—</span>
                      )}
                    </TD>
                    <TD className="whitespace-nowrap">
                      <span title={formatDateTime(key.createdAt)} className="text-zinc-700">
                        {formatDate(key.createdAt)}
                      </span>
                      {by && <span className="block text-xs text-zinc-500">by {by}</span>}
                    </TD>
                    <TD className="whitespace-nowrap text-zinc-700">
                      {key.lastUsedAt ? <span title={formatDateTime(key.lastUsedAt)}>{formatRelative(key.lastUsedAt, now)}</span> : <span className="text-zinc-500">Never</span>}
                    </TD>
                    <TD>
                      {key.revokedAt ? (
                        <span title={`Revoked ${formatDateTime(key.revokedAt)}`}>
                          <Badge tone="neutral">Revoked</Badge>
                        </span>
                      ) : (
                        <Badge tone="green">Active</Badge>
                      )}
                    </TD>
                    {canManage && (
                      <TD align="right">
                        {!key.revokedAt && (
                          <div className="flex justify-end gap-1">
                            <KeyOwnerButton action={setApiKeyOwnerAction.bind(null, key.id)} name={key.name} owner={key.ownerIdentity?.externalId ?? null} />
                            <RevokeApiKeyButton action={revokeApiKeyAction.bind(null, key.id)} name={key.name} />
                          </div>
                        )}
                      </TD>
                    )}
                  </TR>
                );
              })}
            </TBody>
          </Table>
        )}
      </Card>
      <p className="mt-4 text-xs text-zinc-500">
        The key set by <code className="font-mono">TOLLBOOTH_API_KEY</code> is registered on start. Once revoked here it stays
        revoked, even after a restart; set a new value to get a working root key.
      </p>
    </>
  );
}
