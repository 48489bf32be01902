'use client';

import { ErrorState } from '@/components/shell/error-state';

export default function OverviewError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorState title="The overview could not be loaded" error={error} retry={retry} />;
}
