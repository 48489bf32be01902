'use client';

import { ErrorState } from '@/components/shell/error-state';

export default function DeploymentError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorState title="This deployment could not be loaded" error={error} retry={retry} />;
}
