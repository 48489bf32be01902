'use client';

import { ErrorState } from '@/components/shell/error-state';

export default function PricesError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorState title="The prices could not be loaded" error={error} retry={retry} />;
}
