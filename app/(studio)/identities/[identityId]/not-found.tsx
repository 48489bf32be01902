import Link from 'next/link';
import { UserX } from 'lucide-react';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { buttonClasses } from '@/components/ui/button';

export default function IdentityNotFound() {
  return (
    <Card>
      <EmptyState
        icon={<UserX />}
        title="Identity not found"
        actions={
          <Link href="/identities" className={buttonClasses('primary')}>
            Back to identities
          </Link>
        }
      >
        <p>It may have been deleted, or the link is wrong.</p>
      </EmptyState>
    </Card>
  );
}
