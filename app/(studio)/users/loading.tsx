import { TablePageSkeleton } from '@/components/ui/skeleton';

export default function UsersLoading() {
  return <TablePageSkeleton label="Loading users" rows={4} columns={['w-40', 'w-24', 'w-20', 'w-16']} />;
}
