// Stored budget alerts as the Studio's budget form shows them: the thresholds ("80, 100") and every notifier any of
// them names (comma-separated ids). The form sends each threshold to every notifier ticked.
export function alertFormValues(alerts: unknown): { alert_thresholds: string; alert_notifier_ids: string } {
  const list = Array.isArray(alerts) ? (alerts as { threshold_percent?: unknown; notifier_ids?: unknown }[]) : [];
  const thresholds = [...new Set(list.map((a) => Number(a.threshold_percent)).filter((t) => Number.isInteger(t)))].sort((a, b) => a - b);
  const ids = [...new Set(list.flatMap((a) => (Array.isArray(a.notifier_ids) ? a.notifier_ids.map(String) : [])))];
  return { alert_thresholds: thresholds.join(', '), alert_notifier_ids: ids.join(',') };
}
