import Link from 'next/link';
import { Webhook } from 'lucide-react';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { buttonClasses } from '@/components/ui/button';

export default function NotifierNotFound() {
  return (
    <Card>
      <EmptyState
        icon={<Webhook />}
        title="Notifier not found"
        actions={
          <Link href="/notifiers" className={buttonClasses('primary')}>
            Back to notifiers
          </Link>
        }
      >
        <p>It may have been deleted, or the link is wrong.</p>
      </EmptyState>
    </Card>
  );
}
