/**
 * How the `haf` kind scores a whole domain: 'float' (the item tower's vectors as float32
 * tensors, one matMul) or 'int8' (items.bin's int8 rows and the WebAssembly SIMD kernel, see
 * haf-int8-items.ts). A manifest may say so in `itemScoring`; otherwise catalogs of
 * INT8_MIN_ITEMS items or more, whose float tables would not fit a worker's memory, get int8,
 * and smaller ones keep the exact float scores their blend weight was chosen with.
 */
import type { Catalog } from '../catalog/types.ts';
import { ModelFormatError } from './errors.ts';
import type { HafBundleFile } from './haf-bundle-file.ts';

export const ITEM_SCORINGS = ['float', 'int8'] as const;
export type ItemScoring = (typeof ITEM_SCORINGS)[number];

export const INT8_MIN_ITEMS = 100_000;

/** The manifest's `itemScoring`, checked, or the choice by catalog size; int8 needs items.bin. */
export function itemScoring(manifest: Record<string, unknown>, file: HafBundleFile, catalog: Catalog, url: string): ItemScoring {
  const given = manifest.itemScoring;
  if (given !== undefined && !ITEM_SCORINGS.includes(given as ItemScoring)) {
    throw new ModelFormatError(url, `"itemScoring" is ${JSON.stringify(given)}; valid are ${ITEM_SCORINGS.map((s) => `"${s}"`).join(', ')} (or none: int8 from ${INT8_MIN_ITEMS} items)`);
  }
  const chosen = (given as ItemScoring | undefined) ?? (catalog.size >= INT8_MIN_ITEMS ? 'int8' : 'float');
  if (chosen === 'int8' && !file.items) {
    if (given === 'int8') throw new ModelFormatError(url, '"itemScoring": "int8" needs "items" (haf/items.bin): the int8 rows come from it');
    return 'float';
  }
  return chosen;
}
