// Benchmark: the Overview's queries on a seeded database (bench/seed-scale.ts), each range, median of RUNS runs.
//
//   DATABASE_URL=postgresql://…/scale npx tsx --conditions=react-server bench/overview.ts
//   DATABASE_URL=file:./data/scale.db RUNS=3 npx tsx --conditions=react-server bench/overview.ts
import { db } from '../lib/db';
import { getBudgetsAtRisk, getRecentRefusals, getSpendSplit, getTopIdentities, getUsageSeries, overviewWindow, splitWork } from '../lib/overview/service';

const RUNS = Number(process.env.RUNS ?? 3);

async function time(label: string, run: () => Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  console.log(`${label.padEnd(28)} median ${samples[Math.floor(samples.length / 2)].toFixed(0).padStart(6)} ms  (min ${samples[0].toFixed(0)}, max ${samples.at(-1)?.toFixed(0)})`);
}

const workspace = await db.workspace.findFirstOrThrow({ where: { identities: { some: {} } }, select: { id: true } });
const [identities, events] = await Promise.all([db.identity.count({ where: { workspaceId: workspace.id } }), db.usageEvent.count({ where: { workspaceId: workspace.id } })]);
console.log(`${identities.toLocaleString()} identities, ${events.toLocaleString()} events`);
const now = new Date();
for (const days of [7, 30, 90]) {
  const window = overviewWindow(days, now);
  console.log(`— ${days} days`);
  await time('totals + series (rollup)', () => getUsageSeries(db, workspace.id, window));
  const { days: series } = await getUsageSeries(db, workspace.id, window);
  const start = performance.now();
  const first = await getSpendSplit(db, workspace.id, series);
  console.log(`split, first load             ${(performance.now() - start).toFixed(0).padStart(6)} ms  (${first.coveredDays} of ${first.trafficDays} days)`);
  const bg = performance.now();
  await splitWork(workspace.id);
  console.log(`split, rest in background     ${(performance.now() - bg).toFixed(0).padStart(6)} ms`);
  await time('split, cached days', () => getSpendSplit(db, workspace.id, series));
  await time('top 10 identities (rollup)', () => getTopIdentities(db, workspace.id, window));
  await time('recent 429s', () => getRecentRefusals(db, workspace.id, window));
}
await time('budgets near their limit', () => getBudgetsAtRisk(db, workspace.id, now));
await db.$disconnect();
