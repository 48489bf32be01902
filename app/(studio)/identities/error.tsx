'use client';

import { ErrorState } from '@/components/shell/error-state';

export default function IdentitiesError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorState title="The identities could not be loaded" error={error} retry={retry} />;
}
