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

  it('escapes the shop text inside attributes: a domain named with quotes, ampersands or markup stays one attribute', () => {
    const tag = tagSnippet('/hafrec', 'Grocery & Gourmet "fresh" <b>', 'Xenova/clip@r"1');
    expect(tag).toContain('data-domain="Grocery &amp; Gourmet &quot;fresh&quot; &lt;b&gt;"');
    expect(tag).toContain('data-clip-revision="r&quot;1"');
    // Parsed back, each attribute holds exactly the text it was given.
    const domain = /data-domain="([^"]*)"/.exec(tag)![1]!;
    expect(domain.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&')).toBe('Grocery & Gourmet "fresh" <b>');
  });
});
