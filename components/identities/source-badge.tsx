import { Badge, type BadgeTone } from '../ui/badge';

const SOURCES: Record<string, { label: string; tone: BadgeTone; title: string }> = {
  studio: { label: 'Studio', tone: 'brand', title: 'Created in the Studio' },
  api: { label: 'API', tone: 'blue', title: 'Created through POST /v2/identities' },
  usage: { label: 'Usage', tone: 'neutral', title: 'Created automatically by its first usage event' },
  gateway: { label: 'Gateway', tone: 'green', title: 'Created by the gateway' },
};

export function SourceBadge({ source }: { source: string }) {
  const s = SOURCES[source] ?? { label: source, tone: 'neutral' as const, title: source };
  return (
    <span title={s.title}>
      <Badge tone={s.tone}>{s.label}</Badge>
    </span>
  );
}
