// Deletes raw usage events past the retention period now, as the server's hourly job does (lib/usage/retention.ts);
// rollups, budgets and metrics are unchanged. Safe beside running servers.
//   TOLLBOOTH_RETENTION_DAYS=90 npm run usage:prune
//   npm run usage:prune -- --days 90
// Prints one JSON log line with the count deleted; exits 2 on a bad or missing setting.
import { retentionDaysFrom, retentionDaysProblem } from '../lib/usage/retention-policy';

function daysSetting(argv: string[]): { value: string | undefined; name: string } {
  const i = argv.findIndex((a) => a === '--days' || a.startsWith('--days='));
  if (i === -1) return { value: process.env.TOLLBOOTH_RETENTION_DAYS, name: 'TOLLBOOTH_RETENTION_DAYS' };
  const value = argv[i].startsWith('--days=') ? argv[i].slice('--days='.length) : argv[i + 1];
  return { value: value ?? '', name: '--days' };
}

async function main(): Promise<number> {
  const { value, name } = daysSetting(process.argv.slice(2));
  const problem = retentionDaysProblem(value);
  if (problem) {
    console.error(`usage:prune: ${name}: ${problem}`);
    return 2;
  }
  const days = retentionDaysFrom(value);
  if (days === null) {
    console.error('usage:prune: no retention period: set TOLLBOOTH_RETENTION_DAYS (at least 32) or pass --days N');
    return 2;
  }
  // After the check: lib/db opens DATABASE_URL when imported.
  const { db } = await import('../lib/db');
  const { runUsageRetention } = await import('../lib/usage/retention');
  try {
    return (await runUsageRetention(new Date(), days)) === null ? 1 : 0;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
