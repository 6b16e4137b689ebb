import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipConfig, readConfig } from './config.ts';
import { EmbedConfigError } from './errors.ts';

/** readConfig reads only `dataset`, `src` and the page's base URL. */
const script = (data: Record<string, string>) =>
  ({ dataset: { catalog: 'catalog.json', model: 'model.json', ...data }, src: 'https://shop.example/js/embed.js' }) as unknown as HTMLScriptElement;

describe('readConfig', () => {
  const saved = globalThis.document;
  beforeAll(() => {
    globalThis.document = { baseURI: 'https://shop.example/p/1.html' } as Document;
  });
  afterAll(() => {
    globalThis.document = saved;
  });

  it('resolves URLs against the page and the worker next to the tag, with a shared worker by default', () => {
    const config = readConfig(script({}));
    expect(config.catalogUrl).toBe('https://shop.example/p/catalog.json');
    expect(config.workerUrl).toBe('https://shop.example/js/embed-worker.js');
    expect(config.workerMode).toBe('shared');
    expect(readConfig(script({ sharedWorker: 'false' })).workerMode).toBe('dedicated');
  });

  it('names the attribute and the valid values of a bad data-shared-worker', () => {
    expect(() => readConfig(script({ sharedWorker: 'yes' }))).toThrow(EmbedConfigError);
    expect(() => readConfig(script({ sharedWorker: 'yes' }))).toThrow('data-shared-worker must be "true" or "false" (got "yes")');
  });

  it('reads data-whole-domain (auto when absent) and names the valid values of a bad one', () => {
    expect(readConfig(script({})).wholeDomain).toBeUndefined();
    expect(readConfig(script({ wholeDomain: 'fused' })).wholeDomain).toBe('fused');
    expect(() => readConfig(script({ wholeDomain: 'gpu' }))).toThrow('data-whole-domain must be one of auto, fused, simd (got "gpu")');
  });
});

const PAGE = 'https://shop.example/products/mug.html';

describe('data-clip', () => {
  it('keeps a hub id as written, with its revision and mirror host', () => {
    expect(clipConfig({ clip: 'Xenova/clip-vit-base-patch32', clipRevision: 'v1', clipHost: '/mirror/' }, PAGE)).toEqual({
      clip: { model: 'Xenova/clip-vit-base-patch32', revision: 'v1', remoteHost: 'https://shop.example/mirror/' },
    });
  });

  it('makes a folder absolute against the page (the worker lives at another URL)', () => {
    expect(clipConfig({ clip: '../models/tiny-clip' }, PAGE)).toEqual({ clip: { model: 'https://shop.example/models/tiny-clip' } });
    expect(clipConfig({ clip: '/models/tiny-clip' }, PAGE)).toEqual({ clip: { model: 'https://shop.example/models/tiny-clip' } });
    expect(clipConfig({ clip: 'https://cdn.example/clip/' }, PAGE)).toEqual({ clip: { model: 'https://cdn.example/clip/' } });
  });

  it('is optional, and an invalid value is an EmbedConfigError naming what is valid', () => {
    expect(clipConfig({}, PAGE)).toEqual({});
    expect(clipConfig({ clip: ' ' }, PAGE)).toEqual({});
    expect(() => clipConfig({ clip: 'not a model!' }, PAGE)).toThrow(EmbedConfigError);
    expect(() => clipConfig({ clip: 'not a model!' }, PAGE)).toThrow(/data-clip must be a CLIP model id \("owner\/name"\) or a folder URL/);
  });
});
