import { describe, expect, it } from 'vitest';
import { clipConfig, EmbedConfigError } from './config.ts';

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
