import { fetchAsset, readAssetBytes, readAssetJson } from './fetch-asset.ts';
import type { ModelContext } from './model-context.ts';

/** A bundle file named relative to its manifest, as JSON. */
export async function fetchBundleJson(context: ModelContext, path: string): Promise<unknown> {
  const url = new URL(path, context.url).href;
  return readAssetJson('model', url, await fetchAsset('model', url, context.fetch));
}

/** A bundle file's bytes (the binary prior, the item vectors). */
export async function fetchBundleBytes(context: ModelContext, path: string): Promise<ArrayBuffer> {
  const url = new URL(path, context.url).href;
  return readAssetBytes('model', url, await fetchAsset('model', url, context.fetch));
}
