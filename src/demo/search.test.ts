import { describe, expect, it } from 'vitest';
import { createSearchIndex, tokenize } from './search.ts';

const catalog = {
  titles: ['Green Tea Bags', 'Crème Brûlée Torch', 'Tea Kettle, Stainless', 'Greenhouse Gloves', ''],
  ids: ['0', '1', '2', '3', '4'],
  domainOf: Int8Array.from([0, 1, 1, 1, 0]),
  popularity: Float32Array.from([5, 1, 9, 2, 0]),
};

describe('search index', () => {
  const index = createSearchIndex(catalog);

  it('tokenizes on punctuation and folds accents', () => {
    expect(tokenize(' Crème-Brûlée, TORCH ')).toEqual(['creme', 'brulee', 'torch']);
  });

  it('matches every word, whole words first, then by popularity', () => {
    expect([...index.search('tea', -1)]).toEqual([2, 0]);
    expect([...index.search('green', -1)]).toEqual([0, 3]);
    expect([...index.search('tea green', -1)]).toEqual([0]);
  });

  it('filters by domain and finds accented titles without accents', () => {
    expect([...index.search('tea', 0)]).toEqual([0]);
    expect([...index.search('creme brulee', 1)]).toEqual([1]);
  });

  it('an empty query lists the domain by popularity; ids are searchable', () => {
    expect([...index.search('', 1)]).toEqual([2, 3, 1]);
    expect([...index.search('4', -1)]).toEqual([4]);
  });
});
