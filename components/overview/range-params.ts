// The Overview's range lives in the URL (?range=7d|30d|90d), so it can be shared and the back button works.
export const OVERVIEW_RANGES = ['7d', '30d', '90d'] as const;
export type OverviewRange = (typeof OVERVIEW_RANGES)[number];
export const DEFAULT_OVERVIEW_RANGE: OverviewRange = '30d';

export const RANGE_DAYS: Record<OverviewRange, number> = { '7d': 7, '30d': 30, '90d': 90 };

/** Lenient: anything unknown falls back to 30 days instead of an error page. */
export function parseOverviewRange(raw: Record<string, string | string[] | undefined>): OverviewRange {
  const value = Array.isArray(raw.range) ? raw.range[0] : raw.range;
  return (OVERVIEW_RANGES as readonly string[]).includes(value ?? '') ? (value as OverviewRange) : DEFAULT_OVERVIEW_RANGE;
}

/** URL of the Overview for a range; the default is left out to keep links short. */
export const overviewHref = (range: OverviewRange): string => (range === DEFAULT_OVERVIEW_RANGE ? '/overview' : `/overview?range=${range}`);
