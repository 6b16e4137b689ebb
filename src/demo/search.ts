/**
 * Catalog search on the page. Every title (and id) is folded once (lower case, no accents,
 * punctuation as spaces) into one long string; a query scans it with indexOf for its
 * longest word, then checks the other words on the few candidates. Results: items whose
 * text contains every query word, whole-word matches first, then by popularity.
 */
export interface SearchableCatalog {
  readonly titles: readonly string[];
  readonly ids: readonly string[];
  readonly domainOf: Int8Array;
  readonly popularity: Float32Array;
}

export interface SearchIndex {
  /** Positions (internal index - 1) of matching items, best first; domain -1 = all. */
  search(query: string, domain: number): Int32Array;
}

const NON_ASCII = /[^\x00-\x7f]/;

export function normalize(text: string): string {
  const lower = text.toLowerCase();
  return NON_ASCII.test(lower) ? lower.normalize('NFKD').replace(/[\u0300-\u036f]/g, '') : lower;
}

/** Folded text with every run of punctuation or spaces as one space. */
function fold(text: string): string {
  const n = normalize(text);
  return NON_ASCII.test(n) ? n.replace(/[^\p{L}\p{N}]+/gu, ' ') : n.replace(/[^a-z0-9]+/g, ' ');
}

export function tokenize(query: string): string[] {
  return normalize(query).split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0);
}

export function createSearchIndex(catalog: SearchableCatalog): SearchIndex {
  const size = catalog.titles.length;
  const texts = catalog.titles.map((title, p) => ` ${fold(title)} ${catalog.ids[p]} `);
  const starts = new Int32Array(size + 1);
  texts.forEach((t, p) => (starts[p + 1] = starts[p]! + t.length + 1));
  const all = texts.join('\n');
  const byPopularity = Int32Array.from(texts.keys()).sort((a, b) => catalog.popularity[b]! - catalog.popularity[a]! || a - b);
  const popRank = new Int32Array(size);
  byPopularity.forEach((p, r) => (popRank[p] = r));
  const browse = new Map<number, Int32Array>();

  const owner = (offset: number): number => {
    let lo = 0;
    let hi = size - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const candidates = (token: string): number[] => {
    const out: number[] = [];
    for (let at = all.indexOf(token); at >= 0; ) {
      const p = owner(at);
      out.push(p);
      at = all.indexOf(token, starts[p + 1]!);
    }
    return out;
  };

  const index: SearchIndex = {
    search(query: string, domain: number): Int32Array {
      const tokens = tokenize(query).sort((a, b) => b.length - a.length);
      if (tokens.length === 0) {
        let list = browse.get(domain);
        if (!list) browse.set(domain, (list = byPopularity.filter((p) => domain < 0 || catalog.domainOf[p] === domain)));
        return list;
      }
      // Short words match most of the catalog: scanning in popularity order beats indexOf + sort.
      const short = tokens[0]!.length <= 2;
      const exact: number[] = [];
      const partial: number[] = [];
      for (const p of short ? byPopularity : candidates(tokens[0]!)) {
        if (domain >= 0 && catalog.domainOf[p] !== domain) continue;
        const text = texts[p]!;
        if (!tokens.every((t) => text.includes(t))) continue;
        (tokens.every((t) => text.includes(` ${t} `)) ? exact : partial).push(p);
      }
      const byRank = (a: number, b: number): number => popRank[a]! - popRank[b]!;
      if (!short) {
        exact.sort(byRank);
        partial.sort(byRank);
      }
      return Int32Array.from([...exact, ...partial]);
    },
  };
  // The first full scan flattens every string: pay for it while booting, not on a keystroke.
  index.search('e', -1);
  return index;
}
