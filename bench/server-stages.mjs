// Where a gateway call's time goes inside the server, one call at a time: preloaded into the Tollbooth server
// (NODE_OPTIONS=--import=<this file>), it stamps each chat completion at its arrival, the upstream request's creation,
// the provider's headers and last byte, and the answer's last byte (Node's and undici's diagnostics channels), and on
// exit writes the medians of each stage, and the process's CPU time per call, to STAGES_OUT (default:
// server-stages.json in the working directory; a `%p` in it is the server's pid, for a run with two servers: COMPARE_DIST).
// Only calls that had the server to themselves count (a call that overlapped another is dropped), so it can stay
// loaded through bench/gateway.ts's concurrent phase; the first third of the rest is left out (warm-up). Any other
// process that loads it (the forked fake provider) records nothing: only the server's bundle is watched.
//
//   NODE_OPTIONS=--import=$PWD/bench/server-stages.mjs NEXT_DIST_DIR=.next-bench \
//     npx tsx --conditions=react-server bench/gateway.ts
//
// Finer stages: a `globalThis.__stage?.('name')` call put in the code for the measurement is stamped too, in the
// order the names are first seen. A call's stages run between the stamps it has; when calls differ in the stamps they
// have (e.g. a stamp inside the admission transaction, which only calls under a budget run), or in the target
// bench/gateway.ts names in their `x-bench-target` header, `by path` has the same medians for each kind of call apart.
import dc from 'node:diagnostics_channel';
import fs from 'node:fs';

if ((process.argv[1] ?? '').endsWith('tollbooth-server.mjs')) {
  const now = () => performance.now();
  const calls = new WeakMap();
  const open = new Set();
  const done = [];
  const order = ['arrived'];
  let current = null;
  let last = null;
  // The main thread's own CPU time (user + system, in clock ticks of 10 ms: read every 100 calls).
  const mainThreadMicros = () => {
    try {
      const fields = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10_000;
    } catch {
      return null;
    }
  };
  const stamp = (name) => {
    if (!current || name in current) return;
    current[name] = now();
    if (!order.includes(name)) order.push(name);
  };
  globalThis.__stage = stamp;
  dc.subscribe('http.server.request.start', ({ request, response }) => {
    if (!request.url?.includes('/chat/completions')) return;
    // bench/gateway.ts names each call's target in x-bench-target: its calls are summed up apart.
    const call = { arrived: now(), target: request.headers['x-bench-target'] ?? null };
    if (last && open.size === 0) last.toNext = call.arrived - last['answer sent'];
    calls.set(response, call);
    open.add(call);
    // A call whose client left never finishes: it stops counting as open all the same.
    response.once('close', () => open.delete(call));
    if (open.size > 1) for (const c of open) c.overlapped = true;
    current = open.size > 1 ? null : call;
  });
  dc.subscribe('undici:request:create', () => stamp('upstream request created'));
  dc.subscribe('undici:request:headers', () => stamp('provider headers'));
  dc.subscribe('undici:request:trailers', () => stamp('provider body read'));
  // The process's CPU time (all threads: the ingest worker's recording of the calls included) every 100 answered calls.
  const cpu = [];
  let answered = 0;
  dc.subscribe('http.server.response.finish', ({ response }) => {
    const call = calls.get(response);
    if (!call) return;
    if (++answered % 100 === 0) {
      const { user, system } = process.cpuUsage();
      cpu.push({ answered, micros: user + system, mainMicros: mainThreadMicros() });
    }
    open.delete(call);
    if (call === current) current = null;
    call['answer sent'] = now();
    if (!call.overlapped) done.push(call);
    // The work the answer leaves behind on the main thread (close handlers, the access log, promise chains) is done
    // by the event loop's next turn; a sequential client's next call that comes sooner waits for it, unstamped.
    setImmediate(() => (call.afterWork = now() - call['answer sent']));
    last = call;
  });
  process.on('exit', () => {
    order.push('answer sent');
    const kept = done.slice(Math.floor(done.length / 3));
    const median = (xs) => {
      const sorted = xs.filter(Number.isFinite).sort((a, b) => a - b);
      return sorted.length ? Number(sorted[Math.floor(sorted.length / 2)].toFixed(3)) : null;
    };
    // Each call's stages run between the stamps it has (a call may skip some: no budget, no admission transaction);
    // calls are also summed up by the stamps they have, when they differ (e.g. calls with and without a budget).
    const stagesOf = (calls) => {
      const spans = new Map();
      for (const c of calls) {
        const names = order.filter((n) => n in c);
        for (let i = 1; i < names.length; i++) {
          const key = `${names[i - 1]} → ${names[i]}`;
          if (!spans.has(key)) spans.set(key, []);
          spans.get(key).push(c[names[i]] - c[names[i - 1]]);
        }
      }
      return Object.fromEntries([...spans].map(([key, xs]) => [key, median(xs)]));
    };
    const summary = (calls) => ({
      ...(calls[0]?.target ? { target: calls[0].target } : {}),
      calls: calls.length,
      'median ms per stage': stagesOf(calls),
      'median ms in the server': median(calls.map((c) => c['answer sent'] - c.arrived)),
      'median ms from the answer to the event loop\'s next turn': median(calls.map((c) => c.afterWork)),
      'median ms from the answer to the next call\'s arrival': median(calls.map((c) => c.toNext)),
    });
    const result = summary(kept);
    const paths = new Map();
    for (const c of kept) {
      const signature = `${c.target ?? ''} | ${order.filter((n) => n in c).join(' | ')}`;
      if (!paths.has(signature)) paths.set(signature, []);
      paths.get(signature).push(c);
    }
    if (paths.size > 1) result['by path'] = [...paths.values()].sort((a, b) => b.length - a.length).map(summary);
    // CPU per call from the first third of the samples on (warm-up left out), over every call answered since.
    const from = cpu[Math.floor(cpu.length / 3)];
    const to = cpu[cpu.length - 1];
    if (from && to && to.answered > from.answered) {
      result['CPU ms per call (all threads)'] = Number(((to.micros - from.micros) / 1000 / (to.answered - from.answered)).toFixed(3));
      if (from.mainMicros !== null && to.mainMicros !== null) {
        result['CPU ms per call (main thread)'] = Number(((to.mainMicros - from.mainMicros) / 1000 / (to.answered - from.answered)).toFixed(3));
      }
    }
    const out = (process.env.STAGES_OUT ?? 'server-stages.json').replaceAll('%p', String(process.pid));
    fs.writeFileSync(out, `${JSON.stringify({ dist: process.env.NEXT_DIST_DIR, ...result }, null, 2)}\n`);
  });
}
