// Bundles scripts/server.ts (the Node listener in front of Next.js) into <distDir>/tollbooth-server.mjs, and
// scripts/ingest-worker.ts (its usage-writing thread) into <distDir>/tollbooth-ingest-worker.mjs and
// scripts/checkpoint-worker.ts (SQLite's checkpoint thread) into <distDir>/tollbooth-checkpoint-worker.mjs.
// Packages stay in node_modules; our TypeScript (lib/, app/ route handlers, the generated Prisma
// clients) is compiled in, `server-only` is empty here, as it is on Next's server.
import path from 'node:path';
import { build } from 'esbuild';

const distDir = process.env.NEXT_DIST_DIR || '.next';
const bundle = (entry, outfile) => build({
  entryPoints: [entry],
  outfile: path.join(distDir, outfile),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  conditions: ['react-server'],
  // `server-only` guards against client bundles; on the server it is an empty module.
  plugins: [
    {
      name: 'server-only',
      setup(b) {
        b.onResolve({ filter: /^server-only$/ }, () => ({ path: 'server-only', namespace: 'empty' }));
        b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: '', loader: 'js' }));
      },
    },
  ],
  tsconfig: 'tsconfig.json',
  sourcemap: 'linked',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __tbCreateRequire } from 'node:module'; const require = __tbCreateRequire(import.meta.url);" },
});
await bundle('scripts/server.ts', 'tollbooth-server.mjs');
await bundle('scripts/ingest-worker.ts', 'tollbooth-ingest-worker.mjs');
await bundle('scripts/checkpoint-worker.ts', 'tollbooth-checkpoint-worker.mjs');
console.log(`built ${['tollbooth-server.mjs', 'tollbooth-ingest-worker.mjs', 'tollbooth-checkpoint-worker.mjs'].map((f) => path.join(distDir, f)).join(', ')}`);
