/**
 * The fused WebGPU pass's data as flat float arrays, uploaded once: every view encoder and
 * domain attention packed into one weights array (one storage binding for all kernels), and
 * every domain's item rows transposed ([d, n] per domain: thread j of the scoring kernel
 * reads lane j of each of the d rows, so a warp's loads are contiguous). Offsets in floats.
 *
 * A view's weights, from its offset: pos [L, d], lnf g [d], lnf b [d], then per block
 * ln1 g, ln1 b [d], wq, wk, wv, wo [d, d], ln2 g, ln2 b [d], ff1 w [d, d], ff1 b [d],
 * ff2 w [d, d], ff2 b [d] (blockFloats(d) each). The WGSL reads the same order
 * (wgsl-encoder.ts).
 */
import type { Catalog } from '../../catalog/types.ts';
import type { DomainAttentionParams, ViewEncoderParams } from '../param-tree.ts';
import type * as tf from '@tensorflow/tfjs';

/** viewAt of a view without an encoder. */
export const NO_VIEW = 0xffffffff;

export const blockFloats = (d: number): number => 6 * d * d + 6 * d;

export interface PackedWeights {
  readonly data: Float32Array;
  /** [V] offset of each view's weights, NO_VIEW where the model encodes no such view. */
  readonly viewAt: Uint32Array;
  /** Domain attention: w [d, a], b [a], q [K, a], bias [K, V]. */
  readonly fusion: { readonly w: number; readonly b: number; readonly q: number; readonly bias: number };
}

export interface DomainTables {
  /** Each domain's rows, transposed, one after another. */
  readonly data: Float32Array;
  /** [K] offset of each domain's [d, n] block. */
  readonly at: readonly number[];
}

const read = async (v: tf.Tensor): Promise<Float32Array> => (await v.data()) as Float32Array;

/** Appends arrays to one flat list of parts; `put` returns each part's offset. */
class Packer {
  private used = 0;
  readonly parts: Float32Array[] = [];

  put(data: Float32Array): number {
    const at = this.used;
    this.parts.push(data);
    this.used += data.length;
    return at;
  }

  finish(): Float32Array {
    const out = new Float32Array(this.used);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

async function putView(packer: Packer, view: ViewEncoderParams): Promise<number> {
  const at = packer.put(await read(view.pos));
  packer.put(await read(view.lnf.g));
  packer.put(await read(view.lnf.b));
  for (const b of view.blocks) {
    for (const leaf of [b.ln1.g, b.ln1.b, b.wq, b.wk, b.wv, b.wo, b.ln2.g, b.ln2.b, b.ff1.w, b.ff1.b, b.ff2.w, b.ff2.b]) packer.put(await read(leaf));
  }
  return at;
}

/** Packs the encoders (by view) and domain attention of a model. */
export async function packWeights(views: readonly (ViewEncoderParams | undefined)[], fusion: DomainAttentionParams): Promise<PackedWeights> {
  const packer = new Packer();
  const viewAt = new Uint32Array(views.length).fill(NO_VIEW);
  for (const [v, view] of views.entries()) if (view) viewAt[v] = await putView(packer, view);
  const at = {
    w: packer.put(await read(fusion.w)),
    b: packer.put(await read(fusion.b)),
    q: packer.put(await read(fusion.q)),
    bias: packer.put(await read(fusion.bias)),
  };
  return { data: packer.finish(), viewAt, fusion: at };
}

/** Each domain's rows of `table` ([size + 1, d] row-major) as a [d, n] block. */
export function packDomainTables(catalog: Catalog, table: Float32Array, d: number): DomainTables {
  const packer = new Packer();
  const at = catalog.domainItems.map((items) => {
    const n = items.length;
    const block = new Float32Array(d * n);
    items.forEach((item, j) => {
      for (let c = 0; c < d; c++) block[c * n + j] = table[item * d + c]!;
    });
    return packer.put(block);
  });
  return { data: packer.finish(), at };
}
