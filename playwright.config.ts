import { defineConfig } from '@playwright/test';
import { chromiumLaunch } from './e2e/chromium.ts';

// HAFREC_E2E_PORT lets a run avoid a port already taken by another local server.
const port = Number(process.env.HAFREC_E2E_PORT ?? 4173);
const origin = `http://127.0.0.1:${port}/`;

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: origin,
    // A navigation that never settles fails at its own line rather than at the test's timeout.
    navigationTimeout: 90_000,
    launchOptions: chromiumLaunch(),
    browserName: 'chromium',
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: origin,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
