'use client';

import { ErrorState } from '@/components/shell/error-state';

export default function BudgetsError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorState title="The budgets could not be loaded" error={error} retry={retry} />;
}
