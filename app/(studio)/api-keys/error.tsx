'use client';

import { ErrorState } from '@/components/shell/error-state';

export default function ApiKeysError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorState title="The API keys could not be loaded" error={error} retry={retry} />;
}
