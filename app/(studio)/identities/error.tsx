'use client';

import { useEffect } from 'react';
import { TriangleAlert } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';

export default function IdentitiesError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest = error instanceof Error && 'digest' in error ? String((error as Error & { digest?: string }).digest ?? '') : '';
  return (
    <Card>
      <EmptyState
        icon={<TriangleAlert />}
        title="The identities could not be loaded"
        actions={
          <Button variant="primary" onClick={() => retry()}>
            Try again
          </Button>
        }
      >
        <p>Something went wrong on the server. If it keeps happening, check the server log{digest ? ` for error ${digest}` : ''}.</p>
      </EmptyState>
    </Card>
  );
}
