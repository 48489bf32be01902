import { TablePageSkeleton } from '@/components/ui/skeleton';

export default function ApiKeysLoading() {
  return <TablePageSkeleton label="Loading API keys" rows={4} columns={['w-40', 'w-24', 'w-20', 'w-16']} />;
}
