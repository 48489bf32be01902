'use client';

import { ErrorState } from '@/components/shell/error-state';

export default function AuditError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorState title="The audit log could not be loaded" error={error} retry={retry} />;
}
