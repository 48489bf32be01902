'use client';

import { ErrorState } from '@/components/shell/error-state';

export default function DeploymentsError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorState title="The deployments could not be loaded" error={error} retry={retry} />;
}
