'use client';

import { ErrorState } from '@/components/shell/error-state';

export default function ProvidersError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorState title="The providers could not be loaded" error={error} retry={retry} />;
}
