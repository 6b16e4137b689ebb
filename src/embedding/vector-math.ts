/** Small vector helpers shared by the encoders, the cache and tests. */

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return ab / Math.sqrt(aa * bb);
}

/** Scales each row of a [n, dim] buffer to unit length in place; an all-zero row stays zero. */
export function normalizeRows(data: Float32Array, dim: number): Float32Array {
  for (let off = 0; off < data.length; off += dim) {
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += data[off + j]! * data[off + j]!;
    if (norm === 0) continue;
    const inv = 1 / Math.sqrt(norm);
    for (let j = 0; j < dim; j++) data[off + j]! *= inv;
  }
  return data;
}

/** Deterministic PRNG (mulberry32) for reproducible test and benchmark data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n Gaussian unit vectors (Box-Muller), deterministic in `seed`. */
export function randomUnitVectors(n: number, dim: number, seed: number): Float32Array[] {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const v = new Float32Array(dim);
    for (let j = 0; j < dim; j++) v[j] = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    return normalizeRows(v, dim);
  });
}
