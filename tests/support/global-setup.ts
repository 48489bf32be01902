// Vitest global setup: one server for the whole integration run; tests get its URL and key via inject().
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startServer } from './server';
import { FAKE_OPENAI_KEY, startFakeOpenAi } from './fake-openai';
import { setupPgTemplate } from './pg-template';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    apiKey: string;
    fakeOpenAiUrl: string;
  }
}

export default async function setup(project: TestProject) {
  await setupPgTemplate();
  // The gateway forwards "openai/…" models to a local fake provider.
  const fake = await startFakeOpenAi();
  const server = await startServer({ env: { TOLLBOOTH_PROVIDER_OPENAI_BASE_URL: fake.url, TOLLBOOTH_PROVIDER_OPENAI_API_KEY: FAKE_OPENAI_KEY } });
  project.provide('baseUrl', server.baseUrl);
  project.provide('apiKey', server.apiKey);
  project.provide('fakeOpenAiUrl', fake.url);
  return async () => {
    await server.stop();
    await fake.close();
    // Server-side errors (500s) are logged with this prefix; show them so failures can be diagnosed.
    const log = server.log();
    if (log.includes('[tollbooth]')) console.log(`[itest] server log (tail):\n${log.slice(-20_000)}`);
    // Keep the server log next to the database when asked, for debugging failures.
    // (stop() removed the folder otherwise.)
    if (process.env.TOLLBOOTH_ITEST_KEEP) {
      fs.writeFileSync(path.join(server.tmpDir, 'server.log'), server.log());
      console.log(`[itest] kept ${server.tmpDir}`);
    }
  };
}
