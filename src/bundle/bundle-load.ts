/**
 * Node-only: a bundle folder loaded exactly as the storefront worker loads it: catalog.json
 * through parseCatalogJson, model.json through the registry's loadModel, every other file
 * through the same fetch-based loaders (folderFetch stands in for the network).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCatalogJson } from '../catalog/catalog-json.ts';
import type { Catalog } from '../catalog/types.ts';
import type { Recommender } from '../eval/recommender.ts';
import { selectNodeBackend } from '../model/node.ts';
import { AssetFetchError, ModelFormatError } from '../engine/errors.ts';
import { loadModel } from '../engine/model-registry.ts';
import { fileUrlIn, folderFetch } from './file-fetch.ts';

export const CATALOG_FILE = 'catalog.json';
export const MODEL_FILE = 'model.json';

export interface LoadedBundle {
  readonly catalog: Catalog;
  readonly recommender: Recommender;
  readonly manifest: Record<string, unknown>;
}

async function readJson(dir: string, file: string, what: string): Promise<unknown> {
  const path = join(dir, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new AssetFetchError(what, path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); is ${dir} a bundle folder written by npm run bundle?`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new AssetFetchError(what, path, 'is not valid JSON');
  }
}

export async function loadBundle(dir: string, backend: () => Promise<unknown> = () => selectNodeBackend('wasm')): Promise<LoadedBundle> {
  const url = fileUrlIn(dir, MODEL_FILE);
  const catalog = parseCatalogJson(await readJson(dir, CATALOG_FILE, 'catalog'), fileUrlIn(dir, CATALOG_FILE), join(dir, CATALOG_FILE));
  const manifest = (await readJson(dir, MODEL_FILE, 'model')) as Record<string, unknown>;
  const recommender = await loadModel({ manifest, catalog, url, fetch: folderFetch(dir), backend });
  return { catalog, recommender, manifest };
}

/** Throws unless `site` lists the same items (ids, domains, order) as `data`: eval cases use data's indices. */
export function checkSameItems(site: Catalog, data: Catalog, dir: string): void {
  const same = site.size === data.size && site.domains.join('/') === data.domains.join('/') && site.domainOf.every((d, i) => d === data.domainOf[i] && (i === 0 || site.id(i) === data.id(i)));
  if (!same) {
    throw new ModelFormatError(join(dir, CATALOG_FILE), `lists other items than the dataset's catalog (${site.size} vs ${data.size} items); evaluate a bundle with the dataset it was built from (--data)`);
  }
}
