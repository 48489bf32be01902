import { TablePageSkeleton } from '@/components/ui/skeleton';

export default function NotifiersLoading() {
  return <TablePageSkeleton label="Loading notifiers" rows={3} columns={['w-40', 'w-64', 'w-16', 'w-24']} />;
}
