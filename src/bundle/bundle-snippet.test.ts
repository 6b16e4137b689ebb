import { describe, expect, it } from 'vitest';
import { tagSnippet } from './bundle-snippet.ts';

describe('the tag npm run bundle prints', () => {
  it('names the catalog, the model and the domain', () => {
    expect(tagSnippet('/hafrec', 'food')).toBe(
      '<script>window.hafrec = window.hafrec || [];</script>\n<script async src="/hafrec/embed.js"\n        data-catalog="/hafrec/catalog.json"\n        data-model="/hafrec/model.json"\n        data-domain="food"></script>',
    );
  });

  it('names the CLIP checkpoint of a CLIP bundle: a hub id as is, a model folder under the base', () => {
    expect(tagSnippet('/hafrec/', 'food', 'Xenova/clip-vit-base-patch32@main')).toMatch(/data-domain="food"\n {8}data-clip="Xenova\/clip-vit-base-patch32"><\/script>$/);
    expect(tagSnippet('/hafrec/', 'food', 'tiny-clip@v2')).toMatch(/data-clip="\/hafrec\/models\/tiny-clip"\n {8}data-clip-revision="v2"><\/script>$/);
  });
});
