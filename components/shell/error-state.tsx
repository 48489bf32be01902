'use client';

import { useEffect } from 'react';
import { TriangleAlert } from 'lucide-react';
import { Button } from '../ui/button';
import { Card } from '../ui/card';
import { EmptyState } from '../ui/empty-state';

/** The body of a segment's error.tsx: what failed, a retry, and the digest to find in the server log. */
export function ErrorState({ title, error, retry }: { title: string; error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  return (
    <Card role="alert">
      <EmptyState
        icon={<TriangleAlert />}
        title={title}
        actions={
          <Button variant="primary" onClick={() => retry()}>
            Try again
          </Button>
        }
      >
        <p>
          Something went wrong on the server. If it keeps happening, check the server log
          {digest ? (
            <>
              {' '}
              for error <code className="rounded bg-zinc-100 px-1 font-mono text-xs">{digest}</code>
            </>
          ) : null}
          .
        </p>
      </EmptyState>
    </Card>
  );
}
