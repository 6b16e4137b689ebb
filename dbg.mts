import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { chromiumLaunch } from '/work/wt-shop/e2e/chromium.ts';
const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', '5139', '--strictPort'], { stdio: 'ignore', detached: true, cwd: '/work/wt-shop' });
await new Promise((r) => setTimeout(r, 4000));
const browser = await chromium.launch(chromiumLaunch());
const page = await browser.newPage();
page.on('console', (m) => console.log('console', m.text()));
page.on('worker', (w) => w.on('console', (m) => console.log('worker', m.text())));
for (const id of ['8817', '149']) {
  const t0 = Date.now();
  await page.goto('http://127.0.0.1:5139/shop/product.html?id=' + id);
  await page.waitForFunction(() => /attention/.test(document.querySelector('hafrec-recommendations')?.shadowRoot?.textContent ?? ''), null, { timeout: 60000 });
  console.log('visit', id, Date.now() - t0, 'ms', await page.evaluate(() => performance.now()));
}
await browser.close();
process.kill(-server.pid!, 'SIGTERM');
