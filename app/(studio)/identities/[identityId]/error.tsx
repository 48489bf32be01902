'use client';

import { ErrorState } from '@/components/shell/error-state';

export default function IdentityError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorState title="This identity could not be loaded" error={error} retry={retry} />;
}
