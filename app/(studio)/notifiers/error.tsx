'use client';

import { ErrorState } from '@/components/shell/error-state';

export default function NotifiersError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorState title="The notifiers could not be loaded" error={error} retry={retry} />;
}
