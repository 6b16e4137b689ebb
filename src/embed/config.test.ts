import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbedConfigError, readConfig } from './config.ts';

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
});
