// A page of an app that installed the packed hafrec: every browser face of the package,
// and the engine worker built by this app's own Vite from node_modules.
import { HafrecError } from 'hafrec';
import { parseCatalogJson, UnknownItemError } from 'hafrec/catalog';
import { openHistoryStore } from 'hafrec/store';
import { startEngine } from 'hafrec/engine';
import { DEFAULT_CONFIG } from 'hafrec/model';
import { evaluate } from 'hafrec/eval';
import { createLexicalEncoder } from 'hafrec/embedding';

/** Fails to compile when a type from the package's declarations is `any` (an import they lost). */
function typed<T>(value: T & (0 extends 1 & T ? never : unknown)): T {
  return value;
}

interface Outcome {
  readonly catalogItems: number;
  readonly errorCode: string;
  readonly stored: number;
  readonly model: string;
  readonly picks: readonly string[];
  readonly faces: readonly string[];
}

async function run(): Promise<Outcome> {
  const shop = new URL('./shop/', document.baseURI).href;
  const catalog = parseCatalogJson(await (await fetch(`${shop}catalog.json`)).json(), 'shop');
  const unknown = new UnknownItemError('no-such-item', catalog.size);
  const history = await openHistoryStore({ name: 'hafrec-package-check', retention: {} });
  await history.track({ type: 'view', itemId: '8661', domain: 'kitchen' });
  const engine = startEngine({ catalogUrl: `${shop}catalog.json`, modelUrl: `${shop}model.json`, dbName: history.name, retention: {}, defaultConsent: true });
  const info = await engine.init();
  const picks = typed(await engine.recommend('kitchen', 5));
  typed(catalog.domainOf);
  typed(info.wholeDomain);
  return {
    catalogItems: catalog.size,
    errorCode: unknown instanceof HafrecError ? unknown.code : 'not a HafrecError',
    stored: await history.count(),
    model: info.model,
    picks: picks.map((p) => p.id),
    faces: [typeof DEFAULT_CONFIG.dim, typeof evaluate, typeof createLexicalEncoder],
  };
}

const out = document.getElementById('out')!;
run().then(
  (outcome) => (out.textContent = JSON.stringify(outcome)),
  (error: unknown) => (out.textContent = `error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`),
);
