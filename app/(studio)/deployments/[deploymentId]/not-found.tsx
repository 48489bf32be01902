import Link from 'next/link';
import { SearchX } from 'lucide-react';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { buttonClasses } from '@/components/ui/button';

export default function DeploymentNotFound() {
  return (
    <Card>
      <EmptyState
        icon={<SearchX />}
        title="Deployment not found"
        actions={
          <Link href="/deployments" className={buttonClasses('primary')}>
            Back to deployments
          </Link>
        }
      >
        <p>It may have been deleted, or the link is wrong.</p>
      </EmptyState>
    </Card>
  );
}
