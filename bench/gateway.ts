// Benchmark: the latency the gateway (POST /v2/router/chat/completions) adds to a chat completion,
// against calling the provider directly, against a bare Node proxy (the floor any Node proxy pays here, bench/bare-proxy.ts)
// and against Portkey's open-source gateway, in one run.
// Everything stays on 127.0.0.1: a fake provider that answers at once (bench/fake-provider.ts),
// the built Tollbooth server (tests/support/server.ts) and Portkey, installed from npm into a scratch
// folder outside the repo. Added latency = a gateway's p50/p99 minus the direct calls' p50/p99 at
// the same concurrency. Exits 1 if a direct or Tollbooth call fails (Portkey problems only warn).
//
//   NEXT_DIST_DIR=.next-bench npm run build
//   NEXT_DIST_DIR=.next-bench npx tsx --conditions=react-server bench/gateway.ts
//   (defaults: SEQUENTIAL=1000 CONCURRENT=2000 CONCURRENCY=50 WARMUP=200 ROUNDS=4 PORTKEY_VERSION=1.15.2)
//   COMPARE_DIST=.next-other: also measures a second Tollbooth built into that folder, in the same rounds (an A/B of
//   two builds under the same machine load); PORTKEY=0 leaves Portkey out.
import { execFile, fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startServer, type TestServer } from '../tests/support/server';
import { CHILD_FLAG, FAKE_PROVIDER_KEY, FAKE_USAGE, type FakeProviderStats } from './fake-provider';
import { BARE_PROXY_FLAG } from './bare-proxy';

const SEQUENTIAL = Number(process.env.SEQUENTIAL ?? 1_000);
// 2,000 rather than 5,000: Tollbooth serves 75–130 calls/s at 50 in flight on 2 cores, and the bench must stay under ~3 min.
const CONCURRENT = Number(process.env.CONCURRENT ?? 2_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 50);
const WARMUP = Number(process.env.WARMUP ?? 200);
// Targets take turns in this many slices of each phase, so a burst of other load on a shared
// machine lands on all of them alike instead of on whichever target happened to be running.
const ROUNDS = Number(process.env.ROUNDS ?? 4);
// 1.15.2 is the newest release on npm; it declares no engines and runs on Node 20.
const PORTKEY_VERSION = process.env.PORTKEY_VERSION ?? '1.15.2';
const PORTKEY_DIR = path.join(os.tmpdir(), 'tollbooth-bench-portkey');
// Bounds that keep a broken target from hanging the bench: per call, and per measured phase.
const CALL_TIMEOUT_MS = 10_000;
const PHASE_DEADLINE_MS = Number(process.env.PHASE_DEADLINE_MS ?? 45_000);

const MESSAGES = [{ role: 'user', content: 'Hello, how are you?' }];
const json = { 'content-type': 'application/json' };

/** One way of making the same chat completion call: where to POST, with which headers and body. */
type Target = { name: string; url: string; headers: Record<string, string>; body: string; mayFail?: boolean };

type Run = {
  /** Latencies of the calls made, in ms, sorted ascending. */
  latencies: Float64Array;
  failures: number;
  firstFailure: string | null;
  elapsedMs: number;
  /** True when a slice hit its share of PHASE_DEADLINE_MS before making all its calls. */
  truncated: boolean;
};

// Every step that must be undone, run in reverse order on success, failure or Ctrl-C.
const cleanups: (() => Promise<void> | void)[] = [];
async function cleanUp(): Promise<void> {
  for (const undo of cleanups.splice(0).reverse()) {
    try {
      await undo();
    } catch (err) {
      console.error('cleanup failed:', err);
    }
  }
}
// Ctrl-C can reach us twice under tsx (from the terminal and relayed by tsx): clean up once, ignore the rest.
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    void cleanUp().finally(() => process.exit(130));
  });
}

let callsSent = 0;

/** Makes one call and reads the whole body; returns null on a 2xx, otherwise what went wrong. */
async function callOnce(target: Target): Promise<string | null> {
  callsSent++;
  try {
    const res = await fetch(target.url, { method: 'POST', headers: target.headers, body: target.body, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
    const text = await res.text();
    return res.ok ? null : `HTTP ${res.status}: ${text.slice(0, 300)}`;
  } catch (err) {
    return String(err);
  }
}

/** `total` calls with `concurrency` in flight; each call is timed on its own with performance.now(). */
async function measure(target: Target, total: number, concurrency: number, deadlineMs: number): Promise<Run> {
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure: string | null = null;
  let next = 0;
  const started = performance.now();
  const deadline = started + deadlineMs;
  const worker = async () => {
    while (next < total && performance.now() < deadline) {
      next++;
      const t = performance.now();
      const problem = await callOnce(target);
      latencies.push(performance.now() - t);
      if (problem !== null) {
        failures++;
        firstFailure ??= problem;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - started;
  return { latencies: Float64Array.from(latencies).sort(), failures, firstFailure, elapsedMs, truncated: latencies.length < total };
}

/** The slices of one target's phase, taken as a single run. */
function merge(a: Run | undefined, b: Run): Run {
  if (!a) return b;
  const latencies = new Float64Array(a.latencies.length + b.latencies.length);
  latencies.set(a.latencies);
  latencies.set(b.latencies, a.latencies.length);
  return {
    latencies: latencies.sort(),
    failures: a.failures + b.failures,
    firstFailure: a.firstFailure ?? b.firstFailure,
    elapsedMs: a.elapsedMs + b.elapsedMs,
    truncated: a.truncated || b.truncated,
  };
}

/** Nearest-rank percentile of sorted latencies. */
function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** One call whose answer must be the fake provider's completion, so we never bench an error path. */
async function verify(target: Target): Promise<void> {
  callsSent++;
  const res = await fetch(target.url, { method: 'POST', headers: target.headers, body: target.body, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
  const text = await res.text();
  let usage: unknown = null;
  try {
    usage = (JSON.parse(text) as { usage?: unknown }).usage;
  } catch {
    // not JSON: reported below
  }
  const tokens = usage as { prompt_tokens?: unknown } | null | undefined;
  if (!res.ok || tokens?.prompt_tokens !== FAKE_USAGE.prompt_tokens) {
    throw new Error(`${target.name}: expected the fake completion, got HTTP ${res.status}: ${text.slice(0, 300)}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sends SIGTERM, then SIGKILL if the child is still there after 3 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

/** The fake provider in its own process, so serving it does not slow the load generator's timing. */
async function startFakeProvider(): Promise<{ url: string; stats: () => Promise<FakeProviderStats> }> {
  // process.execArgv carries tsx's loader, so the child can run the .ts file too.
  const child = fork(path.join(import.meta.dirname, 'fake-provider.ts'), [CHILD_FLAG], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  cleanups.push(() => stopChild(child));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: unknown) => {
      const url = (message as { url?: unknown } | null)?.url;
      if (typeof url === 'string') resolve(url);
      else reject(new Error('fake provider sent no URL'));
    });
    child.once('exit', (code) => reject(new Error(`fake provider exited (code ${code})`)));
  });
  const origin = new URL(url).origin;
  return { url, stats: async () => (await (await fetch(`${origin}/__stats`)).json()) as FakeProviderStats };
}

/** The bare Node proxy (bench/bare-proxy.ts) in a child process: the floor any proxy written in Node pays here. */
async function startBareProxy(providerUrl: string): Promise<string> {
  const child = fork(path.join(import.meta.dirname, 'bare-proxy.ts'), [BARE_PROXY_FLAG, providerUrl], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  cleanups.push(() => stopChild(child));
  return new Promise<string>((resolve, reject) => {
    child.once('message', (message: unknown) => {
      const url = (message as { url?: unknown } | null)?.url;
      if (typeof url === 'string') resolve(url);
      else reject(new Error('bare proxy sent no URL'));
    });
    child.once('exit', (code) => reject(new Error(`bare proxy exited (code ${code})`)));
  });
}

/** A Tollbooth server of the build in `distDir` (default: NEXT_DIST_DIR's), with the bench's two identities. */
async function startTollbooth(providerUrl: string, distDir?: string): Promise<TestServer> {
  const server = await startServer({
    env: { TOLLBOOTH_PROVIDER_OPENAI_BASE_URL: providerUrl, TOLLBOOTH_PROVIDER_OPENAI_API_KEY: FAKE_PROVIDER_KEY },
    testClock: false,
    distDir,
  });
  cleanups.push(() => server.stop());
  // Distinct identities per variant; both exist up front so neither pays for creating one.
  await tollboothApi(server, '/v2/identities', { external_id: 'bench-no-budget' });
  await tollboothApi(server, '/v2/identities', { external_id: 'bench-budget' });
  await tollboothApi(server, '/v2/budgets', {
    scope: { identity: { identity_external_id: 'bench-budget' } },
    limits: { period: 'BUDGET_PERIOD_MONTHLY', amount: 1_000_000 },
  });
  return server;
}

async function tollboothApi(server: TestServer, route: string, body: unknown): Promise<void> {
  const res = await fetch(`${server.baseUrl}${route}`, {
    method: 'POST',
    headers: { ...json, authorization: `Bearer ${server.apiKey}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${route} → HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
}

function tollboothTarget(server: TestServer, name: string, externalId: string): Target {
  return {
    name,
    url: `${server.baseUrl}/v2/router/chat/completions`,
    // x-bench-target: bench/server-stages.mjs sums up each target's calls apart.
    headers: { ...json, authorization: `Bearer ${server.apiKey}`, 'x-bench-target': externalId },
    body: JSON.stringify({ model: 'openai/gpt-4o', messages: MESSAGES, max_tokens: 1000, orq: { identity: { id: externalId } } }),
  };
}

// Portkey's start-server listens on every interface; this preload pins its listen() to 127.0.0.1.
const LOOPBACK_ONLY = `data:text/javascript,${encodeURIComponent(`
import net from 'node:net';
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && typeof args[1] !== 'string') {
    if (args[1] === undefined) args[1] = '127.0.0.1';
    else args.splice(1, 0, '127.0.0.1');
  }
  return listen.apply(this, args);
};`)}`;

const execFileAsync = promisify(execFile);

/** Installs (once, then reused) and starts Portkey's gateway; throws with the reason if it cannot. */
async function startPortkey(): Promise<{ url: string; version: string }> {
  const pkgDir = path.join(PORTKEY_DIR, 'node_modules', '@portkey-ai', 'gateway');
  const installedVersion = () => {
    try {
      return (JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version?: string }).version ?? null;
    } catch {
      return null;
    }
  };
  if (installedVersion() !== PORTKEY_VERSION) {
    console.log(`installing @portkey-ai/gateway@${PORTKEY_VERSION} into ${PORTKEY_DIR}…`);
    fs.mkdirSync(PORTKEY_DIR, { recursive: true });
    try {
      await execFileAsync('npm', ['install', '--no-audit', '--no-fund', '--prefix', PORTKEY_DIR, `@portkey-ai/gateway@${PORTKEY_VERSION}`], { timeout: 180_000 });
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr ?? '';
      throw new Error(`npm install failed: ${String(err).split('\n')[0]}\n${stderr.slice(-500)}`);
    }
    if (installedVersion() !== PORTKEY_VERSION) throw new Error(`npm install did not leave @portkey-ai/gateway@${PORTKEY_VERSION} in ${pkgDir}`);
  }

  const port = await freePort();
  // --headless and NODE_ENV=production skip its web UI; a minimal env keeps any proxy settings out.
  const child = spawn(process.execPath, ['--import', LOOPBACK_ONLY, path.join(pkgDir, 'build', 'start-server.js'), `--port=${port}`, '--headless'], {
    cwd: PORTKEY_DIR,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  cleanups.push(async () => {
    process.off('exit', killOnExit);
    await stopChild(child);
  });

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Portkey exited (code ${child.exitCode}):\n${output.slice(-1000)}`);
    try {
      const res = await fetch(`${url}/`, { signal: AbortSignal.timeout(2_000) });
      if ((await res.text()).includes('AI Gateway says hey')) return { url, version: PORTKEY_VERSION };
    } catch {
      // not listening yet
    }
    await delay(200);
  }
  throw new Error(`Portkey did not answer on ${url} within 30 s:\n${output.slice(-1000)}`);
}

function portkeyTarget(gatewayUrl: string, providerUrl: string): Target {
  return {
    name: `Portkey gateway`,
    url: `${gatewayUrl}/v1/chat/completions`,
    headers: { ...json, authorization: `Bearer ${FAKE_PROVIDER_KEY}`, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': providerUrl },
    body: JSON.stringify({ model: 'gpt-4o', messages: MESSAGES, max_tokens: 1000 }),
    mayFail: true,
  };
}

const ms = (v: number) => `${v.toFixed(2)} ms`;
const signedMs = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(2)} ms`;

async function main(): Promise<void> {
  const provider = await startFakeProvider();
  const direct: Target = {
    name: 'Direct to provider (baseline)',
    url: `${provider.url}/chat/completions`,
    headers: { ...json, authorization: `Bearer ${FAKE_PROVIDER_KEY}` },
    body: JSON.stringify({ model: 'gpt-4o', messages: MESSAGES, max_tokens: 1000 }),
  };

  console.log('starting Tollbooth (the npm start server)…');
  const server = await startTollbooth(provider.url);
  const bare: Target = { ...direct, name: 'Bare Node proxy (floor)', url: `${await startBareProxy(provider.url)}/chat/completions` };
  const targets: Target[] = [
    direct,
    bare,
    tollboothTarget(server, 'Tollbooth, identity without budget', 'bench-no-budget'),
    tollboothTarget(server, 'Tollbooth, identity with budget', 'bench-budget'),
  ];
  const compareDist = process.env.COMPARE_DIST;
  if (compareDist) {
    console.log(`starting Tollbooth from ${compareDist} too…`);
    const other = await startTollbooth(provider.url, compareDist);
    targets.push(
      tollboothTarget(other, `Tollbooth (${compareDist}), identity without budget`, 'bench-no-budget'),
      tollboothTarget(other, `Tollbooth (${compareDist}), identity with budget`, 'bench-budget'),
    );
  }

  let portkeyNote = 'Portkey: left out (PORTKEY=0).';
  if (process.env.PORTKEY !== '0') {
    console.log('starting Portkey…');
    try {
      const portkey = await startPortkey();
      const target = portkeyTarget(portkey.url, provider.url);
      await verify(target);
      targets.push(target);
      portkeyNote = `Portkey: @portkey-ai/gateway ${portkey.version}, \`node build/start-server.js --port=N --headless\` (NODE_ENV=production), headers x-portkey-provider: openai + x-portkey-custom-host.`;
    } catch (err) {
      portkeyNote = `Portkey: skipped, ${err instanceof Error ? err.message : String(err)}`;
      console.log(portkeyNote);
    }
  }

  for (const target of targets) {
    await verify(target);
    // Warm-up at full concurrency: JIT, and connection pools opened on every hop.
    const warm = await measure(target, WARMUP, CONCURRENCY, PHASE_DEADLINE_MS);
    if (warm.failures) console.log(`warm-up of ${target.name}: ${warm.failures} failed calls (first: ${warm.firstFailure})`);
  }

  const levels = [
    { concurrency: 1, calls: SEQUENTIAL },
    { concurrency: CONCURRENCY, calls: CONCURRENT },
  ];
  const results = new Map<string, Run>();
  const key = (target: Target, concurrency: number) => `${target.name}@${concurrency}`;
  for (const { concurrency, calls } of levels) {
    console.log(`measuring ${calls.toLocaleString()} calls per target, ${concurrency} in flight, in ${ROUNDS} rounds…`);
    for (let round = 0; round < ROUNDS; round++) {
      const share = Math.floor(calls / ROUNDS) + (round < calls % ROUNDS ? 1 : 0);
      for (const target of targets) {
        const k = key(target, concurrency);
        results.set(k, merge(results.get(k), await measure(target, share, concurrency, PHASE_DEADLINE_MS / ROUNDS)));
      }
    }
  }

  const upstream = await provider.stats();

  console.log(`\nGateway added latency, chat completion to an instant fake provider on loopback (Node ${process.version}, ${os.availableParallelism()} cores):\n`);
  console.log('| Target | In flight | Calls | Non-2xx | p50 | p99 | Added p50 | Added p99 | Calls/s | Tollbooth ÷ Portkey added p50 |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  let failed = false;
  const portkey = targets.find((t) => t.mayFail);
  for (const { concurrency } of levels) {
    const base = results.get(key(direct, concurrency));
    const portkeyRun = portkey ? results.get(key(portkey, concurrency)) : undefined;
    if (!base) continue;
    for (const target of targets) {
      const run = results.get(key(target, concurrency));
      if (!run || run.latencies.length === 0) continue;
      const p50 = percentile(run.latencies, 0.5);
      const p99 = percentile(run.latencies, 0.99);
      const isBase = target === direct;
      const added50 = p50 - percentile(base.latencies, 0.5);
      const added99 = p99 - percentile(base.latencies, 0.99);
      let ratio = '—';
      if (target.name.startsWith('Tollbooth')) {
        const portkeyAdded = portkeyRun ? percentile(portkeyRun.latencies, 0.5) - percentile(base.latencies, 0.5) : null;
        ratio = portkeyAdded === null ? 'n/a (no Portkey)' : `${(added50 / portkeyAdded).toFixed(1)}×`;
      }
      const rate = Math.round(run.latencies.length / (run.elapsedMs / 1000)).toLocaleString();
      const calls = `${run.latencies.length.toLocaleString()}${run.truncated ? ' (deadline)' : ''}`;
      console.log(
        `| ${target.name} | ${concurrency} | ${calls} | ${run.failures} | ${ms(p50)} | ${ms(p99)} | ${isBase ? '—' : signedMs(added50)} | ${isBase ? '—' : signedMs(added99)} | ${rate} | ${ratio} |`,
      );
      if (run.failures || run.truncated) {
        console.log(`  ${target.name} @${concurrency}: ${run.failures} failed calls${run.truncated ? ', stopped at the phase deadline' : ''}; first: ${run.firstFailure ?? '—'}`);
      }
      // A slow phase still measured something; a failed call means we benched an error path.
      if (run.failures && !target.mayFail) failed = true;
    }
  }
  console.log(`\n${portkeyNote}`);
  // Each call through a gateway must reach the provider exactly once (no cache, no retry).
  const note = upstream.completions === callsSent ? 'one per call' : `expected ${callsSent.toLocaleString()}: some calls did not reach it once`;
  console.log(`Fake provider served ${upstream.completions.toLocaleString()} completions (${note}).`);
  if (failed) {
    console.error('\nSome direct or Tollbooth calls failed: see above.');
    process.exitCode = 1;
  }
}

try {
  await main();
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
