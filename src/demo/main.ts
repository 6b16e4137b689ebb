import './styles.css';
import { el } from './dom.ts';
import { startDemoEngine } from '../engine/demo-engine.ts';
import { openShopperHistory } from './history.ts';
import { loadSettings } from './settings.ts';
import { createSearchIndex } from './search.ts';
import { mountApp } from './app.ts';
import { registerServiceWorker } from './offline.ts';

/** Boots the demo: shell, service worker, history store, worker (dataset + model), views. */
async function boot(): Promise<void> {
  const root = document.getElementById('app')!;
  const status = el('p', { class: 'boot-status', role: 'status', text: 'Starting…' });
  const bar = el('progress', { max: 1, value: 0, 'aria-label': 'Loading' });
  root.replaceChildren(el('div', { class: 'boot' }, el('h1', { text: 'hafrec' }), status, bar));
  void registerServiceWorker();
  const settings = loadSettings();
  const client = startDemoEngine();
  // Leaving the page ends the worker, so no queued (WebGPU) work outlives it.
  window.addEventListener('pagehide', () => client.terminate());
  const [history, init] = await Promise.all([
    openShopperHistory(),
    client.call(
      {
        kind: 'openDataset',
        options: {
          dataUrl: new URL('./data/food-kitchen/', document.baseURI).href,
          modelUrl: new URL('./models/', document.baseURI).href,
          model: settings.model,
          backend: settings.backend,
        },
      },
      {
        onProgress: (p) => {
          status.textContent = p.stage;
          bar.max = Math.max(1, p.total);
          bar.value = p.done;
        },
      },
    ),
  ]);
  status.textContent = 'Indexing titles for search…';
  const search = createSearchIndex(init.catalog);
  mountApp(root, { client, catalog: init.catalog, search, history, settings, model: init.model });
  document.body.dataset.ready = 'true';
}

boot().catch((error: unknown) => {
  const root = document.getElementById('app')!;
  root.replaceChildren(el('div', { class: 'boot' },
    el('h1', { text: 'hafrec could not start' }),
    el('p', { class: 'error', role: 'alert', text: error instanceof Error ? `${error.name}: ${error.message}` : String(error) })));
  document.body.dataset.ready = 'error';
});
