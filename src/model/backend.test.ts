import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { chooseBackend, REAL_GPU_MARGIN, selectBackend } from './backend.ts';
import { BackendUnavailableError } from './errors.ts';
import { nodeWasmPaths, selectNodeBackend } from './node.ts';

const fallbackAdapter = async () => ({
  available: true,
  isFallbackAdapter: true,
  vendor: 'google',
  architecture: 'swiftshader',
  maxBufferSize: 1 << 30,
  features: [],
});

describe('selectBackend', () => {
  it('sets a named backend and rejects unknown or unavailable ones with a typed error', async () => {
    expect((await selectBackend('cpu')).backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    await expect(selectBackend('tpu' as 'cpu')).rejects.toBeInstanceOf(BackendUnavailableError);
    // No navigator.gpu in Node: webgpu cannot start.
    await expect(selectBackend('webgpu')).rejects.toThrow(/not available/);
  });

  it("'auto' measures the candidates and never takes a fallback WebGPU adapter without measuring", async () => {
    const choice = await selectBackend('auto', { wasmPaths: nodeWasmPaths(), candidates: ['webgpu', 'wasm', 'cpu'], probe: fallbackAdapter });
    expect(choice.reason).toBe('fastest');
    expect(Object.keys(choice.timings).sort()).toEqual(['cpu', 'wasm']);
    const fastest = Object.entries(choice.timings).sort((a, b) => a[1] - b[1])[0]![0];
    expect(choice.backend).toBe(fastest);
    expect(tf.getBackend()).toBe(fastest);
    await tf.setBackend('cpu');
  });

  it("'auto' keeps a real GPU within the margin of the fastest, and drops it (or a fallback adapter) when clearly slower", () => {
    const real = { available: true, isFallbackAdapter: false };
    const soft = { available: true, isFallbackAdapter: true };
    expect(chooseBackend({ webgpu: 12, wasm: 10 }, real)).toEqual({ backend: 'webgpu', reason: 'real-gpu' });
    expect(chooseBackend({ webgpu: 2, wasm: 10 }, real)).toEqual({ backend: 'webgpu', reason: 'real-gpu' });
    // Measured on an H100 through Dawn: one shopper's ~380 tiny kernels cost ~70 ms vs ~10 ms on wasm.
    expect(chooseBackend({ webgpu: 70, wasm: 10, cpu: 400 }, real)).toEqual({ backend: 'wasm', reason: 'fastest' });
    expect(chooseBackend({ webgpu: 10 * REAL_GPU_MARGIN + 0.1, wasm: 10 }, real)?.backend).toBe('wasm');
    expect(chooseBackend({ webgpu: 12, wasm: 10 }, soft)).toEqual({ backend: 'wasm', reason: 'fastest' });
    expect(chooseBackend({ webgpu: 5, wasm: 10 }, soft)).toEqual({ backend: 'webgpu', reason: 'fastest' });
    expect(chooseBackend({}, real)).toBeUndefined();
  });

  it("Node 'webgpu' without the optional Dawn package is a typed error that says how to get it", async () => {
    const previous = process.env.HAFREC_DAWN;
    process.env.HAFREC_DAWN = 'hafrec-no-such-dawn-package';
    try {
      const error = await selectNodeBackend('webgpu').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendUnavailableError);
      expect((error as Error).message).toMatch(/npm install --no-save webgpu@0\.6\.2/);
      // 'auto' still works: it measures what can start.
      expect(['wasm', 'cpu']).toContain((await selectNodeBackend('auto')).backend);
    } finally {
      if (previous === undefined) delete process.env.HAFREC_DAWN;
      else process.env.HAFREC_DAWN = previous;
    }
  });

  it('Node helper starts wasm from node_modules and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    expect((await selectNodeBackend('wasm')).backend).toBe('wasm');
    await selectNodeBackend('cpu');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('choosing wasm installs the wasm kernel fixes (a clone shares its buffer)', async () => {
    await selectNodeBackend('wasm');
    const x = tf.tensor1d([1, 2, 3]);
    const buffers = tf.memory().numDataBuffers;
    const y = tf.clone(x);
    expect(tf.memory().numDataBuffers).toBe(buffers);
    tf.dispose([x, y]);
    await selectNodeBackend('cpu');
  });
});
