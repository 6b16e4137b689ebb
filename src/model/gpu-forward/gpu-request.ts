/**
 * One recommendation's request words for the fused pass: each view's length and items (the
 * same cut and split as HafModel.forward's batches, buildBatch), then the excluded items as
 * positions in the target domain.
 */
import type { Catalog } from '../../catalog/types.ts';
import { domainPositions } from '../../catalog/catalog.ts';
import { buildBatch } from '../batch.ts';
import { NO_VIEW } from './gpu-weights.ts';
import { excludeAt } from './wgsl-common.ts';

export interface RequestShape {
  readonly maxLength: number;
  /** [V] NO_VIEW where the model has no encoder for the view. */
  readonly viewAt: Uint32Array;
}

/** Request words (wgsl-common.ts); histories hold validated catalog indices. */
export function requestWords(catalog: Catalog, shape: RequestShape, history: Int32Array, domain: number, exclude?: ReadonlySet<number>): Uint32Array {
  const views = shape.viewAt.length;
  const batch = buildBatch([{ history, domain }], { domainOf: catalog.domainOf, domains: catalog.domains.length, maxLength: shape.maxLength, identityItems: catalog.size });
  const excluded = exclude ? excludedPositions(catalog, domain, exclude) : [];
  const at = excludeAt(views, shape.maxLength);
  const words = new Uint32Array(at + excluded.length);
  batch.views.forEach((view, v) => {
    if (shape.viewAt[v] === NO_VIEW) return;
    words[v] = view.length;
    words.set(view.items, views + v * shape.maxLength);
  });
  words.set(excluded, at);
  return words;
}

/** Positions in `domain` of the excluded items that belong to it. */
function excludedPositions(catalog: Catalog, domain: number, exclude: ReadonlySet<number>): number[] {
  const positions = domainPositions(catalog);
  const out: number[] = [];
  for (const item of exclude) if (catalog.domainOf[item] === domain) out.push(positions[item]!);
  return out;
}
