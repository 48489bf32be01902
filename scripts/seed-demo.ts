// Fills a database with realistic demo identities, budgets and four weeks of usage, through the services
// (createIdentity, ingestUsage, setIdentityBudget), so rollups and budgets are exactly what the API would produce.
//   DATABASE_URL=file:./data/demo.db npm run seed:demo
import { spawnSync } from 'node:child_process';
import { register } from 'node:module';
import type { UsageEventInput } from '../lib/usage/schema';
import { mulberry32 } from './mulberry32';

// The services `import 'server-only'`, which throws outside React Server Components: resolve it to an empty module.
register(
  'data:text/javascript,' +
    encodeURIComponent(
      'export async function resolve(s, c, next) { return s === "server-only" ? { url: "data:text/javascript,", shortCircuit: true } : next(s, c); }',
    ),
);

const DAY_MS = 86_400_000;
const DAYS = 28;


type Model = { provider: string; model: string; weight: number };
const MODELS = {
  gpt4o: { provider: 'openai', model: 'gpt-4o', weight: 1 },
  gpt4oMini: { provider: 'openai', model: 'gpt-4o-mini', weight: 1 },
  sonnet: { provider: 'anthropic', model: 'claude-3-5-sonnet-20241022', weight: 1 },
  haiku: { provider: 'anthropic', model: 'claude-3-5-haiku-20241022', weight: 1 },
  flash: { provider: 'google', model: 'gemini-1.5-flash', weight: 1 },
  mistral: { provider: 'mistral', model: 'mistral-large-latest', weight: 1 },
  finetune: { provider: 'acme-internal', model: 'acme-support-ft-v2', weight: 1 },
} satisfies Record<string, Model>;

type Profile = {
  externalId: string;
  displayName?: string;
  email?: string;
  tags?: string[];
  metadata?: Record<string, unknown>;
  /** `usage`: created by its first event, like an app that never registered it. */
  source: 'api' | 'studio' | 'usage';
  eventsPerDay: number;
  models: [Model, number][];
  inputTokens: [number, number];
  outputTokens: [number, number];
  errorRate: number;
  /** Days (ago) with activity; default: every day. */
  activeDays?: [number, number];
  /** Budget, sized after the usage so the gauge lands on `targetPercent` of it. */
  budget?: { period: 'daily' | 'weekly' | 'monthly' | 'yearly'; targetPercent?: number; amountUsd?: number };
};

const PROFILES: Profile[] = [
  {
    externalId: 'user_1842',
    displayName: 'Jane Smith',
    email: 'jane.smith@northwind.example',
    tags: ['premium', 'engineering'],
    metadata: { department: 'Engineering', role: 'Senior Developer', subscription_tier: 'premium' },
    source: 'api',
    eventsPerDay: 24,
    models: [[MODELS.gpt4o, 3], [MODELS.sonnet, 2], [MODELS.gpt4oMini, 1]],
    inputTokens: [2400, 18000],
    outputTokens: [200, 1500],
    errorRate: 0.02,
    budget: { period: 'monthly', targetPercent: 41 },
  },
  {
    externalId: 'user_2207',
    displayName: 'Marco Rossi',
    email: 'marco@rossi.example',
    tags: ['beta'],
    source: 'api',
    eventsPerDay: 14,
    models: [[MODELS.gpt4o, 3], [MODELS.gpt4oMini, 1]],
    inputTokens: [1200, 9000],
    outputTokens: [100, 900],
    errorRate: 0.01,
    budget: { period: 'daily', targetPercent: 86 },
  },
  {
    externalId: 'user_3310',
    displayName: 'Aisha Khan',
    email: 'aisha.khan@northwind.example',
    tags: ['premium'],
    metadata: { department: 'Product' },
    source: 'studio',
    eventsPerDay: 9,
    models: [[MODELS.sonnet, 3], [MODELS.haiku, 2]],
    inputTokens: [1800, 12000],
    outputTokens: [200, 1200],
    errorRate: 0.03,
  },
  {
    externalId: 'team_growth',
    displayName: 'Growth team',
    tags: ['team', 'marketing'],
    metadata: { cost_center: 'MKT-204', owner: 'priya@northwind.example' },
    source: 'studio',
    eventsPerDay: 40,
    models: [[MODELS.gpt4oMini, 3], [MODELS.flash, 2], [MODELS.gpt4o, 2]],
    inputTokens: [900, 7500],
    outputTokens: [150, 800],
    errorRate: 0.015,
    budget: { period: 'weekly', targetPercent: 62 },
  },
  {
    externalId: 'team_support',
    displayName: 'Support bots',
    tags: ['team', 'support'],
    metadata: { cost_center: 'SUP-110', channel: 'zendesk' },
    source: 'api',
    eventsPerDay: 60,
    models: [[MODELS.haiku, 3], [MODELS.sonnet, 2], [MODELS.gpt4oMini, 1], [MODELS.finetune, 1]],
    inputTokens: [1500, 6000],
    outputTokens: [100, 400],
    errorRate: 0.04,
    budget: { period: 'daily', targetPercent: 118 },
  },
  {
    externalId: 'team_research',
    displayName: 'Research',
    tags: ['team', 'engineering'],
    source: 'api',
    eventsPerDay: 6,
    models: [[MODELS.gpt4o, 2], [MODELS.sonnet, 2], [MODELS.mistral, 1]],
    inputTokens: [12000, 90000],
    outputTokens: [500, 4000],
    errorRate: 0.05,
    budget: { period: 'monthly', amountUsd: 500 },
  },
  {
    externalId: 'proj_semantic_search',
    displayName: 'Semantic search',
    tags: ['project'],
    metadata: { repo: 'northwind/search', env: 'production' },
    source: 'api',
    eventsPerDay: 80,
    models: [[MODELS.gpt4oMini, 1]],
    inputTokens: [4500, 15000],
    outputTokens: [50, 250],
    errorRate: 0.005,
  },
  {
    externalId: 'proj_onboarding',
    displayName: 'Onboarding assistant',
    tags: ['project', 'beta'],
    source: 'studio',
    eventsPerDay: 12,
    models: [[MODELS.sonnet, 1], [MODELS.haiku, 2]],
    inputTokens: [2100, 7500],
    outputTokens: [200, 700],
    errorRate: 0.02,
    activeDays: [0, 14],
    budget: { period: 'yearly', targetPercent: 12 },
  },
  {
    externalId: 'client_acme',
    displayName: 'Acme Corp',
    email: 'billing@acme.example',
    tags: ['client', 'enterprise'],
    metadata: { contract: 'ENT-2041', region: 'eu-west-1', account_manager: 'sam@northwind.example' },
    source: 'api',
    eventsPerDay: 35,
    models: [[MODELS.gpt4o, 2], [MODELS.sonnet, 1]],
    inputTokens: [3000, 15000],
    outputTokens: [300, 1200],
    errorRate: 0.01,
    budget: { period: 'monthly', targetPercent: 73 },
  },
  {
    externalId: 'client_globex',
    displayName: 'Globex',
    email: 'ai-platform@globex.example',
    tags: ['client'],
    source: 'api',
    eventsPerDay: 18,
    models: [[MODELS.mistral, 2], [MODELS.gpt4oMini, 1]],
    inputTokens: [2400, 10500],
    outputTokens: [200, 900],
    errorRate: 0.02,
    budget: { period: 'monthly', targetPercent: 95 },
  },
  {
    externalId: 'client_initech',
    displayName: 'Initech',
    tags: ['client', 'trial'],
    metadata: { trial_ends: '2026-12-31' },
    source: 'api',
    eventsPerDay: 7,
    models: [[MODELS.gpt4o, 1], [MODELS.flash, 1]],
    inputTokens: [1500, 7500],
    outputTokens: [100, 600],
    errorRate: 0.14,
    activeDays: [0, 10],
  },
  {
    externalId: 'user_4471',
    displayName: 'Sven Larsen',
    email: 'sven@larsen.example',
    source: 'usage',
    eventsPerDay: 5,
    models: [[MODELS.gpt4oMini, 1]],
    inputTokens: [600, 4500],
    outputTokens: [100, 500],
    errorRate: 0.0,
  },
  {
    externalId: 'svc_nightly_evals',
    displayName: 'Nightly evals',
    tags: ['internal'],
    source: 'api',
    eventsPerDay: 20,
    models: [[MODELS.finetune, 3], [MODELS.gpt4o, 1]],
    inputTokens: [3000, 9000],
    outputTokens: [100, 300],
    errorRate: 0.03,
  },
  {
    externalId: 'user_5120',
    displayName: 'Lena Fischer',
    email: 'lena.fischer@northwind.example',
    tags: ['engineering'],
    source: 'api',
    eventsPerDay: 10,
    models: [[MODELS.sonnet, 1]],
    inputTokens: [1500, 9000],
    outputTokens: [100, 900],
    errorRate: 0.02,
    activeDays: [18, 27],
  },
];

const ERROR_CODES = ['rate_limit_exceeded', 'timeout', 'context_length_exceeded', 'server_error'];

function pick<T>(rand: () => number, weighted: [T, number][]): T {
  const total = weighted.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [item, w] of weighted) {
    r -= w;
    if (r <= 0) return item;
  }
  return weighted[weighted.length - 1][0];
}

const between = (rand: () => number, [lo, hi]: [number, number]) => Math.round(lo + (hi - lo) * rand() ** 1.6);

function eventsFor(profile: Profile, now: Date, index: number): Record<string, unknown>[] {
  const rand = mulberry32(1_000 + index * 7_919);
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const [fromAgo, toAgo] = profile.activeDays ?? [0, DAYS - 1];
  const events: Record<string, unknown>[] = [];
  for (let ago = toAgo; ago >= fromAgo; ago--) {
    const dayStart = today - ago * DAY_MS;
    const weekday = new Date(dayStart).getUTCDay();
    const weekendFactor = weekday === 0 || weekday === 6 ? 0.45 : 1;
    const trend = 0.75 + 0.5 * ((DAYS - ago) / DAYS);
    // Today only counts the part of the day that has passed.
    const dayLength = ago === 0 ? Math.max(1, now.getTime() - dayStart) : DAY_MS;
    const dayShare = dayLength / DAY_MS;
    const count = Math.round(profile.eventsPerDay * weekendFactor * trend * (0.6 + 0.8 * rand()) * Math.max(dayShare, ago === 0 ? 0.35 : 1));
    for (let n = 0; n < count; n++) {
      const m = pick(rand, profile.models);
      const failed = rand() < profile.errorRate;
      const input = between(rand, profile.inputTokens);
      events.push({
        event_id: `demo-${profile.externalId}-${ago}-${n}`,
        external_id: profile.externalId,
        ...(profile.source === 'usage' ? { display_name: profile.displayName, email: profile.email } : {}),
        timestamp: new Date(dayStart + Math.floor(rand() * dayLength)).toISOString(),
        provider: m.provider,
        model: m.model,
        input_tokens: input,
        output_tokens: failed ? 0 : between(rand, profile.outputTokens),
        status: failed ? 'error' : 'success',
        ...(failed ? { error_code: ERROR_CODES[Math.floor(rand() * ERROR_CODES.length)] } : {}),
        latency_ms: Math.round(300 + rand() * 2500 + input / 8),
      });
    }
  }
  return events;
}

async function main() {
  const databaseUrl = (process.env.DATABASE_URL = (await import('../lib/database-url')).databaseUrl());
  console.log(`Seeding demo data into ${databaseUrl}`);
  const migrated = spawnSync(process.execPath, ['scripts/migrate.mjs'], { stdio: 'inherit', env: process.env });
  if (migrated.status !== 0) throw new Error('migrations failed');

  const { db } = await import('../lib/db');
  const { ensureDefaultWorkspace } = await import('../lib/workspaces/service');
  const { ensureAdminUser } = await import('../lib/users/service');
  const { ensureApiKey } = await import('../lib/api-keys/service');
  const { createIdentity, getIdentity } = await import('../lib/identities/service');
  const { getIdentityBudgetStatus, setIdentityBudget } = await import('../lib/budgets/service');
  const { ingestUsage } = await import('../lib/usage/service');
  const { usageEventSchema, toUsageRecord } = await import('../lib/usage/schema');
  const { systemActor } = await import('../lib/audit/actor');
  const { microsToUsd, usdToMicros } = await import('../lib/money');
  const seeder = systemActor('Demo seed');

  const now = new Date();
  const workspaceId = await ensureDefaultWorkspace();
  if (await getIdentity(workspaceId, PROFILES[0].externalId)) {
    console.log('Demo data is already there; point DATABASE_URL at a fresh file to seed again.');
    await db.$disconnect();
    return;
  }

  const { TOLLBOOTH_ADMIN_EMAIL: email, TOLLBOOTH_ADMIN_PASSWORD: password, TOLLBOOTH_API_KEY: apiKey } = process.env;
  if (email && password) await ensureAdminUser(workspaceId, email, password);
  if (apiKey) await ensureApiKey(workspaceId, apiKey, 'Root key (TOLLBOOTH_API_KEY)');

  for (const p of PROFILES) {
    if (p.source === 'usage') continue;
    await createIdentity(
      workspaceId,
      seeder,
      {
        externalId: p.externalId,
        ...(p.displayName ? { displayName: p.displayName } : {}),
        ...(p.email ? { email: p.email } : {}),
        ...(p.tags ? { tags: p.tags } : {}),
        ...(p.metadata ? { metadata: p.metadata } : {}),
      },
      { source: p.source, budget: null, now },
    );
  }

  const all: UsageEventInput[] = PROFILES.flatMap((p, i) => eventsFor(p, now, i)).map((e) => usageEventSchema.parse(e));
  // Oldest first, in batches, as an application flushing its queue would send them.
  all.sort((a, b) => (a.timestamp ?? '').localeCompare(b.timestamp ?? ''));
  for (let i = 0; i < all.length; i += 500) {
    await ingestUsage(workspaceId, all.slice(i, i + 500).map((e) => toUsageRecord(e)), now);
    process.stdout.write(`\r  usage events: ${Math.min(i + 500, all.length)} / ${all.length}`);
  }
  process.stdout.write('\n');

  for (const p of PROFILES) {
    if (!p.budget) continue;
    const identity = await getIdentity(workspaceId, p.externalId);
    if (!identity) continue;
    let amountUsd = p.budget.amountUsd;
    if (amountUsd === undefined) {
      // Measure this window's spend with a provisional budget, then size the budget to hit the target.
      await setIdentityBudget(workspaceId, seeder, identity.id, { period: p.budget.period, amountMicros: usdToMicros(1) });
      const status = await getIdentityBudgetStatus(workspaceId, identity.id, now);
      const consumed = status ? microsToUsd(status.spentMicros) : 0;
      amountUsd = Math.max(0.01, Math.round((consumed / ((p.budget.targetPercent ?? 50) / 100)) * 100) / 100);
    }
    await setIdentityBudget(workspaceId, seeder, identity.id, { period: p.budget.period, amountMicros: usdToMicros(amountUsd) });
  }

  console.log(`Done: ${PROFILES.length} identities, ${all.length} usage events over ${DAYS} days.`);
  if (!(email && password)) {
    console.log('Sign in to the Studio with TOLLBOOTH_ADMIN_EMAIL / TOLLBOOTH_ADMIN_PASSWORD set when the server starts.');
  }
  await db.$disconnect();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
