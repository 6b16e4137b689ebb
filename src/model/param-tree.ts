/**
 * The model's parameters as a typed tree, generic in its leaves: param-layout.ts builds the
 * tree of ParamSpecs (saved name, shape, initializer) and params.ts the tree of variables
 * with the same structure, so forward-pass code reads `views[v].blocks[b].wq` instead of
 * looking variables up by name. Shapes: d = config.dim, a = config.attentionDim,
 * K = domains, e = a modality's feature dimension.
 */
import type * as tf from '@tensorflow/tfjs';

/** y = x w + b. */
export interface Linear<L = tf.Variable> {
  readonly w: L; // [in, out]
  readonly b: L; // [out]
}

export interface LayerNormParams<L = tf.Variable> {
  readonly g: L; // [d]
  readonly b: L; // [d]
}

/** One pre-LN transformer block of a view encoder. */
export interface BlockParams<L = tf.Variable> {
  readonly ln1: LayerNormParams<L>;
  readonly wq: L; // [d, d]
  readonly wk: L; // [d, d]
  readonly wv: L; // [d, d]
  readonly wo: L; // [d, d]
  readonly ln2: LayerNormParams<L>;
  readonly ff1: Linear<L>; // [d, d]
  readonly ff2: Linear<L>; // [d, d]
}

/** Level 2: the encoder of one view. */
export interface ViewEncoderParams<L = tf.Variable> {
  readonly pos: L; // [maxLength, d] learned positions
  readonly blocks: readonly BlockParams<L>[]; // config.blocks of them
  readonly lnf: LayerNormParams<L>;
}

/** Level 1 scorer: a_m = q . tanh(w e_m + b). */
export interface ModalityAttentionParams<L = tf.Variable> {
  readonly w: L; // [d, a]
  readonly b: L; // [a]
  readonly q: L; // [a]
}

/** Level 1: the item tower. */
export interface ItemTowerParams<L = tf.Variable> {
  readonly id: L; // [items + 1, d], row 0 = padding
  /** Per content modality, by name: its projection into the tower ([e, d] and [d]). */
  readonly proj: Readonly<Record<string, Linear<L>>>;
  /** Present exactly when modality attention scores at least one content modality. */
  readonly att?: ModalityAttentionParams<L>;
}

/** Level 3 scorer: b_k = q_t . tanh(w h_k + b) + bias[t, k]. */
export interface DomainAttentionParams<L = tf.Variable> {
  readonly w: L; // [d, a]
  readonly b: L; // [a]
  readonly q: L; // [K, a] one query per target domain
  readonly bias: L; // [K, K + 1] per (target, view) prior
}

export interface ParamTree<L = tf.Variable> {
  readonly item: ItemTowerParams<L>;
  /** Indexed by view (0..K-1 the domains, K the mixed history); undefined where the config encodes no such view. */
  readonly views: readonly (ViewEncoderParams<L> | undefined)[];
  /** Present exactly when views are fused by domain attention. */
  readonly domain?: DomainAttentionParams<L>;
}

/** The same tree with every leaf replaced by f(leaf); f sees the leaves in paramLeaves order. */
export function mapParams<A, B>(tree: ParamTree<A>, f: (leaf: A) => B): ParamTree<B> {
  const linear = (p: Linear<A>): Linear<B> => ({ w: f(p.w), b: f(p.b) });
  const norm = (p: LayerNormParams<A>): LayerNormParams<B> => ({ g: f(p.g), b: f(p.b) });
  const block = (p: BlockParams<A>): BlockParams<B> => ({
    ln1: norm(p.ln1),
    wq: f(p.wq),
    wk: f(p.wk),
    wv: f(p.wv),
    wo: f(p.wo),
    ln2: norm(p.ln2),
    ff1: linear(p.ff1),
    ff2: linear(p.ff2),
  });
  const { item, domain } = tree;
  return {
    item: {
      id: f(item.id),
      proj: Object.fromEntries(Object.entries(item.proj).map(([modality, p]) => [modality, linear(p)])),
      ...(item.att && { att: { w: f(item.att.w), b: f(item.att.b), q: f(item.att.q) } }),
    },
    views: tree.views.map((e) => e && { pos: f(e.pos), blocks: e.blocks.map(block), lnf: norm(e.lnf) }),
    ...(domain && { domain: { w: f(domain.w), b: f(domain.b), q: f(domain.q), bias: f(domain.bias) } }),
  };
}

/**
 * Every leaf, in one fixed walk order: two trees of the same structure (one mapped from the
 * other) list corresponding leaves at the same index.
 */
export function paramLeaves<L>(tree: ParamTree<L>): L[] {
  const leaves: L[] = [];
  mapParams(tree, (leaf) => leaves.push(leaf));
  return leaves;
}
