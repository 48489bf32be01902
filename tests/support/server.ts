// Starts the built Tollbooth server (as `npm start` does) on a free loopback port against a fresh database:
// a SQLite file, or, when TOLLBOOTH_TEST_POSTGRES_URL names a PostgreSQL server, a new database on it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createMigratedPgDatabase } from './pg-template';

export type TestServer = {
  baseUrl: string;
  apiKey: string;
  tmpDir: string;
  /** The database the server runs on (pass it as `databaseUrl` to start another server on it). */
  databaseUrl: string;
  /** SIGKILL, as a crash would: no shutdown work runs. The database is kept. */
  kill: () => Promise<void>;
  /** SIGTERM, as an orchestrator stops it: resolves when the process has exited. The database is kept. */
  terminate: () => Promise<void>;
  /** Everything the server printed so far (stdout and stderr interleaved). */
  log: () => string;
  /** Stops the server and throws its database away (its files too, unless TOLLBOOTH_ITEST_KEEP is set). */
  stop: () => Promise<void>;
};

const STARTUP_TIMEOUT_MS = 60_000;
const POLL_INTERVAL_MS = 150;

/** A fresh database for one server (on PostgreSQL already migrated, from the template), and how to throw it away. */
async function freshDatabase(tmpDir: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env.TOLLBOOTH_TEST_POSTGRES_URL;
  if (!admin) return { url: `file:${path.join(tmpDir, 'test.db')}`, drop: async () => {} };
  const name = `tollbooth_itest_${randomBytes(6).toString('hex')}`;
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const url = await createMigratedPgDatabase(admin, name);
  return { url, drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('could not pick a free port'))));
    });
  });
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves when the child exits (immediately if it already has). */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export type ServerOptions = {
  /** TOLLBOOTH_TEST_CLOCK=1 lets `x-tollbooth-now` pin the request time (default true). */
  testClock?: boolean;
  /** Extra environment for the server (e.g. the fake provider's URL for the gateway). */
  env?: Record<string, string>;
  /** Run on this existing database (another server's) instead of a fresh one; it is not dropped on stop. */
  databaseUrl?: string;
  /** Use this root API key (servers sharing a database share their key). */
  apiKey?: string;
  /** The build to start (default: NEXT_DIST_DIR's, else `.next`); bench/gateway.ts compares two in one run. */
  distDir?: string;
};

/** The Node flags `npm start` gives the server (package.json's start script), so tests and benchmarks run it alike. */
function startFlags(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return pkg.scripts.start.match(/(?<=^node |\s)--[\w-]+(=\S+)?(?=\s)/g) ?? [];
}

export async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  const distDir = options.distDir ?? (process.env.NEXT_DIST_DIR || '.next');
  const buildId = path.join(repoRoot, distDir, 'BUILD_ID');
  const entry = path.join(repoRoot, distDir, 'tollbooth-server.mjs');
  if (!fs.existsSync(buildId) || !fs.existsSync(entry)) {
    throw new Error(
      `No build found (${buildId} or ${entry} is missing). Run \`NEXT_DIST_DIR=${distDir} npm run build\` first, ` +
        'then run the integration tests with the same NEXT_DIST_DIR.',
    );
  }

  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tollbooth-itest-'));
  const port = await freePort();
  const apiKey = options.apiKey ?? `tb_itest_${randomBytes(24).toString('base64url')}`;
  const database = options.databaseUrl ? { url: options.databaseUrl, drop: async () => {} } : await freshDatabase(tmpDir);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_DIST_DIR: distDir,
    NEXT_TELEMETRY_DISABLED: '1',
    DATABASE_URL: database.url,
    TOLLBOOTH_API_KEY: apiKey,
    TOLLBOOTH_ADMIN_EMAIL: 'admin@example.test',
    TOLLBOOTH_ADMIN_PASSWORD: 'itest-password-1234',
    TOLLBOOTH_TEST_CLOCK: options.testClock === false ? '0' : '1',
    ...options.env,
  };

  const fail = (message: string): never => {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    throw new Error(message);
  };

  const migrate = spawnSync(process.execPath, ['scripts/migrate.mjs'], { cwd: repoRoot, env, encoding: 'utf8' });
  if (migrate.status !== 0) fail(`scripts/migrate.mjs failed (exit ${migrate.status}):\n${migrate.stdout}\n${migrate.stderr}`);

  let output = '';
  // The production server, as `npm start` runs it (scripts/server.ts: Next.js behind the LLM call paths' listener).
  // SERVER_CPU_PROF_DIR=<dir>: the server (and its ingest worker thread) write V8 CPU profiles there on exit (benchmarks).
  const profile = process.env.SERVER_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SERVER_CPU_PROF_DIR}`] : [];
  const child = spawn(process.execPath, [...startFlags(), ...profile, entry, '-p', String(port), '-H', '127.0.0.1'], {
    cwd: repoRoot,
    env,
    // Own process group, so teardown can stop next and anything it forked.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // If the test process dies without running teardown, do not leave the server behind.
  const killOnExit = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', killOnExit);

  // Stops the server and throws its database away — on SQLite its files in tmpDir, which a benchmark fills with a
  // gigabyte a run (kept with TOLLBOOTH_ITEST_KEEP, for debugging).
  const stop = async () => {
    process.off('exit', killOnExit);
    await stopServer();
    await database.drop();
    if (!process.env.TOLLBOOTH_ITEST_KEEP) fs.rmSync(tmpDir, { recursive: true, force: true });
  };
  const stopServer = async () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const done = exited(child);
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      child.kill('SIGTERM');
    }
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5_000);
    await done;
    clearTimeout(timer);
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      fail(`The server exited early (code ${child.exitCode}, signal ${child.signalCode}). Server log:\n${output}`);
    }
    try {
      const res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(5_000) });
      const body = await res.text();
      if (res.status === 200 && body.includes('"ok"')) {
        const kill = async () => {
          process.off('exit', killOnExit);
          const done = exited(child);
          killOnExit();
          await done;
        };
        const terminate = async () => {
          process.off('exit', killOnExit);
          await stopServer();
        };
        return { baseUrl, apiKey, tmpDir, databaseUrl: database.url, kill, terminate, log: () => output, stop };
      }
      lastProblem = `status ${res.status}: ${body.slice(0, 200)}`;
    } catch (err) {
      lastProblem = String(err);
    }
    await delay(POLL_INTERVAL_MS);
  }
  await stop();
  return fail(`Server did not become healthy within ${STARTUP_TIMEOUT_MS} ms (last: ${lastProblem}). Server log:\n${output}`);
}
