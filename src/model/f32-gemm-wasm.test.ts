import { describe, expect, it } from 'vitest';
import { loadF32GemmKernel } from './f32-gemm-wasm.ts';
import { createRng } from './rng.ts';

describe('f32 gemm wasm kernel', () => {
  it('C = A @ B + bias, relu, with row strides wider than the operands', () => {
    const kernel = loadF32GemmKernel()!;
    expect(kernel).toBeDefined();
    kernel.memory.grow(1);
    const heap = new Float32Array(kernel.memory.buffer);
    const rng = createRng(7);
    const [m, k, n, lda, ldb, ldc] = [5, 7, 32, 9, 40, 36];
    const [a, b, c, bias] = [16, 16 + m * lda, 16 + m * lda + k * ldb, 4096];
    for (let i = 0; i < 4000; i++) heap[16 + i] = rng.normal();
    for (const relu of [0, 1]) {
      kernel.gemm(a * 4, lda * 4, b * 4, ldb * 4, c * 4, ldc * 4, m, k, n / 16, relu ? 0 : bias * 4, relu, 64);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = relu ? 0 : heap[bias + j]!;
          for (let t = 0; t < k; t++) s += heap[a + i * lda + t]! * heap[b + t * ldb + j]!;
          expect(heap[c + i * ldc + j]).toBeCloseTo(relu ? Math.max(0, s) : s, 5);
        }
      }
    }
  });

  it('reads B from [tiles, k, 16] panels: the same product as row-major B', () => {
    const kernel = loadF32GemmKernel()!;
    kernel.memory.grow(1);
    const heap = new Float32Array(kernel.memory.buffer);
    const rng = createRng(9);
    const [m, k, n] = [3, 5, 48];
    const [a, b, panels, c, c2] = [16, 256, 1024, 2048, 3072];
    for (let i = 0; i < m * k; i++) heap[a + i] = rng.normal();
    for (let s = 0; s < k; s++) for (let j = 0; j < n; j++) heap[b + s * n + j] = heap[panels + (j >> 4) * k * 16 + s * 16 + (j & 15)] = rng.normal();
    kernel.gemm(a * 4, k * 4, b * 4, n * 4, c * 4, n * 4, m, k, n / 16, 0, 0, 64);
    kernel.gemm(a * 4, k * 4, panels * 4, 64, c2 * 4, n * 4, m, k, n / 16, 0, 0, k * 64);
    expect(heap.subarray(c2, c2 + m * n)).toEqual(heap.subarray(c, c + m * n));
  });

  it('writes only its m x n output: the stride padding is untouched', () => {
    const kernel = loadF32GemmKernel()!;
    const heap = new Float32Array(kernel.memory.buffer);
    heap.fill(1, 0, 1024);
    kernel.gemm(16 * 4, 4, 32 * 4, 64 * 4, 256 * 4, 20 * 4, 2, 1, 1, 0, 0, 64);
    expect(heap[256 + 16]).toBe(1);
    expect(heap[256 + 20 + 15]).toBe(1);
    expect(heap[256 + 20 + 16]).toBe(1);
  });
});
