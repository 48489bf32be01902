import { LoadingRegion } from '@/components/ui/skeleton';
import { DeploymentDetailSkeleton } from '@/components/deployments/skeletons';

export default function DeploymentLoading() {
  return (
    <LoadingRegion label="Loading deployment">
      <DeploymentDetailSkeleton />
    </LoadingRegion>
  );
}
