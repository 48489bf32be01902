import { LoadingRegion } from '@/components/ui/skeleton';
import { IdentityDetailSkeleton } from '@/components/identities/skeletons';

export default function IdentityLoading() {
  return (
    <LoadingRegion label="Loading identity">
      <IdentityDetailSkeleton />
    </LoadingRegion>
  );
}
