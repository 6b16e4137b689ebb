import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Catalog, Item } from '../../src/catalog/types.ts';
import { domainPage, homePage, privacyPage, productTemplatePage } from './pages.ts';

/** Items listed on a domain page: the first `perDomain` titled items of each domain (the rest are reached through widgets). */
export function listedItems(catalog: Catalog, perDomain: number): Item[] {
  return catalog.domains.flatMap((domain) => catalog.items.filter((item) => item.domain === domain && item.title !== undefined).slice(0, perDomain));
}

/** The shop's pages: home, privacy, one page per domain and the product page template. */
export async function writeShopPages(catalog: Catalog, out: string, perDomain = 48): Promise<void> {
  const write = (file: string, text: string) => writeFile(join(out, file), text);
  const listed = listedItems(catalog, perDomain);
  await write('index.html', homePage(catalog));
  await write('privacy.html', privacyPage(catalog));
  await write('product.html', productTemplatePage(catalog));
  for (const domain of catalog.domains) await write(`${domain}.html`, domainPage(catalog, domain, listed));
}
