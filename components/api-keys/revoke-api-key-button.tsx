'use client';

import { Ban } from 'lucide-react';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { toastResult } from '../ui/toast-result';

export function RevokeApiKeyButton({ action, name }: { action: () => Promise<{ ok: boolean; message: string }>; name: string }) {
  return (
    <ConfirmDialog
      trigger={
        <Button variant="danger-ghost" size="sm" aria-label={`Revoke ${name}`}>
          <Ban aria-hidden="true" />
          Revoke
        </Button>
      }
      title={`Revoke “${name}”?`}
      description="Requests with this key are refused with 401 from now on. This cannot be undone."
      confirmLabel="Revoke key"
      onConfirm={async () => toastResult(await action())}
    />
  );
}
