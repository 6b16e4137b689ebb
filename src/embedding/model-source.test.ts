import { describe, expect, it } from 'vitest';
import { resolveModelSource } from './model-source.ts';
import { resolveDevice } from './devices.ts';
import { fromHfProgress } from './progress.ts';

describe('model source', () => {
  it('treats owner/name as a hub id, from the hub or a mirror in the hub layout', () => {
    const hub = resolveModelSource({ model: 'Xenova/clip-vit-base-patch32' }, true);
    expect(hub).toMatchObject({ kind: 'hub', name: 'Xenova/clip-vit-base-patch32', id: 'Xenova/clip-vit-base-patch32@main' });
    expect(hub.env).toMatchObject({ allowRemoteModels: true, allowLocalModels: false, remoteHost: 'https://huggingface.co/', remotePathTemplate: '{model}/resolve/{revision}/' });
    const mirror = resolveModelSource({ model: 'Xenova/clip-vit-base-patch32', revision: 'abc123', remoteHost: 'https://models.shop.example/' }, true);
    expect(mirror.id).toBe('Xenova/clip-vit-base-patch32@abc123');
    expect(mirror.env.remoteHost).toBe('https://models.shop.example/');
  });

  it('serves a folder URL as {parent}{name}/ without the hub layout; page paths resolve against the page', () => {
    const url = resolveModelSource({ model: '/models/tiny-clip/' }, true, 'http://127.0.0.1:4173/e2e/pages/x.html');
    expect(url).toMatchObject({ kind: 'url', name: 'tiny-clip', id: 'tiny-clip@main' });
    expect(url.env).toMatchObject({ remoteHost: 'http://127.0.0.1:4173/models/', remotePathTemplate: '{model}/', allowRemoteModels: true });
    const cdn = resolveModelSource({ model: 'https://cdn.example/m/clip-b32', revision: 'v3' }, false);
    expect(cdn).toMatchObject({ kind: 'url', name: 'clip-b32', id: 'clip-b32@v3' });
  });

  it('in Node, a path is a local folder; in a browser, a non-id non-URL is rejected with what is valid', () => {
    expect(resolveModelSource({ model: '/work/models/tiny-clip/' }, false)).toMatchObject({ kind: 'path', name: '/work/models/tiny-clip', id: 'tiny-clip@main' });
    expect(resolveModelSource({ model: 'public/models/tiny-clip' }, false)).toMatchObject({ kind: 'path', id: 'tiny-clip@main' });
    expect(() => resolveModelSource({ model: 'a b/c d' }, true)).toThrow(/hub id .* or a folder URL/);
    expect(() => resolveModelSource({ model: ' ' }, false)).toThrow(/model/);
  });
});

describe('device resolution', () => {
  it("'auto' is cpu in Node; explicit browser devices are refused in Node", async () => {
    expect(await resolveDevice('auto')).toBe('cpu');
    expect(await resolveDevice('cpu')).toBe('cpu');
    await expect(resolveDevice('wasm')).rejects.toThrow(/"auto" or "cpu" in Node/);
    await expect(resolveDevice('tpu' as never)).rejects.toThrow(/auto, webgpu, wasm, cpu/);
  });
});

describe('progress mapping', () => {
  it('maps transformers.js file events onto download events and drops the rest', () => {
    expect(fromHfProgress({ status: 'progress', file: 'onnx/text_model.onnx', loaded: 5, total: 10, progress: 50 })).toEqual({
      status: 'download', file: 'onnx/text_model.onnx', loaded: 5, total: 10, progress: 50,
    });
    expect(fromHfProgress({ status: 'done', file: 'config.json', total: 3 })).toMatchObject({ progress: 100, loaded: 3 });
    expect(fromHfProgress({ status: 'progress_total' })).toBeUndefined();
  });
});
