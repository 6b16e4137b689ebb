/**
 * Food-Kitchen as a store would hand it to `npm run prepare`: the storefront catalog (the
 * tag's format, product pages from one template, `product.html?id=<id>`) and the raw
 * interaction log as JSON lines, one line per interaction, time-ordered per shopper.
 *
 * The log holds every shopper of the dataset with everything they did: a training shopper's
 * sequence, and a valid or test shopper's history followed by their held-out item. `prepare`
 * then splits each shopper leave-last-out as it would a real store's log.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Dataset, Item } from '../../src/catalog/types.ts';
import { decodeEntities } from './select-items.ts';

export const PRODUCT_PAGE = 'product.html';
export const START_TS = Date.UTC(2024, 0, 1);

/** The URL of an item's product page (one template for the whole catalog). */
export const productUrl = (id: string): string => `${PRODUCT_PAGE}?id=${encodeURIComponent(id)}`;

/** The storefront catalog items: id, domain, plain-text title, product page URL (no SKU: 19% of the gzipped catalog for a line the widget never shows). */
export function storeCatalog(dataset: Dataset): Item[] {
  return dataset.catalog.items.map((item) => ({
    id: item.id,
    domain: item.domain,
    ...(item.title ? { title: decodeEntities(item.title) } : {}),
    url: productUrl(item.id),
  }));
}

/** Each shopper's full sequence of catalog indices: train sequences, then valid and test histories + targets. */
export function* shopperSequences(dataset: Dataset): Generator<{ shopper: string; items: ArrayLike<number> }> {
  for (const s of dataset.train) yield { shopper: `train:${s.user}`, items: s.items };
  for (const [split, cases] of [['valid', dataset.valid], ['test', dataset.test]] as const) {
    for (const c of cases) yield { shopper: `${split}:${c.user}`, items: [...c.history, c.target] };
  }
}

/** Writes the log as JSON lines `{"shopper","item","type","ts"}` (one minute between a shopper's events). */
export async function writeEventLog(dataset: Dataset, path: string): Promise<number> {
  const out = createWriteStream(path);
  let lines = 0;
  let u = 0;
  for (const { shopper, items } of shopperSequences(dataset)) {
    const base = START_TS + u++ * 1000;
    for (let t = 0; t < items.length; t++) {
      const line = JSON.stringify({ shopper, item: dataset.catalog.id(items[t]!), type: 'purchase', ts: base + t * 60_000 });
      if (!out.write(`${line}\n`)) await once(out, 'drain');
      lines++;
    }
  }
  out.end();
  await once(out, 'finish');
  return lines;
}
