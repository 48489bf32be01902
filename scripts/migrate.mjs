// Applies committed migrations before `npm start` (fails fast when the database cannot be migrated).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const url = process.env.DATABASE_URL || 'file:./data/tollbooth.db';
if (url.startsWith('file:')) {
  fs.mkdirSync(path.dirname(path.resolve(url.slice('file:'.length))), { recursive: true });
}
const result = spawnSync('npx', ['prisma', 'migrate', 'deploy'], {
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: url },
});
process.exit(result.status ?? 1);
