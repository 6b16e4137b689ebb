/**
 * Adam for the trainer, built for tfjs-wasm's per-kernel cost, with an optional row-sparse
 * ("lazy") update for embedding tables.
 *
 * Dense variables: the same update as tf.train.adam (m/(1-b1^t) / (sqrt(v/(1-b2^t)) + eps)),
 * but the small ones (all but the ID table) as one flat vector: a concat of the gradients and
 * one of the values, ~10 elementwise kernels, one subtract and one split, instead of ~14
 * kernels per variable (65 of them in the default model; each wasm kernel costs ~20 us
 * before any work). A variable without a gradient in a step is left alone, moments
 * included, as tf.train.adam does.
 *
 * The update takes 10 elementwise passes instead of tf.train.adam's 14 (each a full pass
 * over the [items + 1, d] ID table, ~1.2-2 ms on wasm): the moments are kept divided by
 * (1 - beta1) and (1 - beta2), so they update as b1 m + g and b2 v + g^2, and the bias
 * corrections, the learning rate and those factors fold into two scalars:
 *   delta = k m / (sqrt(v) + e),  k = lr (1-b1) sqrt(1-b2^t) / ((1-b1^t) sqrt(1-b2)),
 *   e = eps sqrt((1-b2^t) / (1-b2)).
 * Same function; it differs from tf.train.adam only in float rounding (~1e-7 relative, as
 * much as the 14-pass version did: tf.train.adam also keeps beta^t as a float32 product).
 *
 * Row-sparse variables (`rowSparse`, e.g. the [items + 1, d] ID table): each step only the
 * rows given to `touchRows` are updated, with their own moments, like PyTorch's SparseAdam
 * and TF Addons' LazyAdam. This is NOT the same optimizer as dense Adam: the moments of rows
 * a batch does not touch are not decayed and those rows do not move on old momentum. Rows
 * touched in every step follow dense Adam exactly. The gradient outside the touched rows is
 * ignored, so `touchRows` must name every row the loss can reach.
 */
import * as tf from '@tensorflow/tfjs';
import { ModelError } from './errors.ts';

export interface HafAdamOptions {
  readonly learningRate: number;
  readonly beta1?: number;
  readonly beta2?: number;
  /** Default: the backend's epsilon (1e-7 for float32), as tf.train.adam. */
  readonly epsilon?: number;
  /** 2-D variables updated row-sparsely (rows named by touchRows before each step). */
  readonly rowSparse?: readonly tf.Variable[];
}

/** First and second moment, divided by (1 - beta1) and (1 - beta2) (see the top). */
interface Moments {
  readonly m: tf.Variable;
  readonly v: tf.Variable;
}

/** Moments of the small dense variables as one vector, in the order of `names`. */
interface FlatMoments extends Moments {
  readonly names: readonly string[];
  readonly sizes: readonly number[];
}

/** Dense variables at least this large are updated on their own, not flattened. */
const SEPARATE_SIZE = 1 << 16;

interface Scalars {
  readonly b1: tf.Scalar;
  readonly b2: tf.Scalar;
  /** k and e of the step (see the top), computed in float64. */
  readonly k: tf.Scalar;
  readonly eps: tf.Scalar;
}

export class HafAdam extends tf.Optimizer {
  static readonly className = 'HafAdam';
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private readonly sparseNames: Set<string>;
  /** Moments of variables updated on their own (large dense ones, row-sparse ones). */
  private readonly moments = new Map<string, Moments>();
  private readonly touched = new Map<string, Int32Array>();
  private flat: FlatMoments | undefined;
  private steps = 0;

  constructor(options: HafAdamOptions) {
    super();
    this.learningRate = options.learningRate;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? tf.backend().epsilon();
    for (const [name, beta] of [['beta1', this.beta1], ['beta2', this.beta2]] as const) {
      if (!(beta >= 0 && beta < 1)) throw new RangeError(`Adam ${name} must be in [0, 1), got ${beta}`);
    }
    this.sparseNames = new Set((options.rowSparse ?? []).map((v) => v.name));
    for (const v of options.rowSparse ?? []) {
      if (v.rank !== 2) throw new RangeError(`row-sparse Adam needs a 2-D variable, "${v.name}" has shape [${v.shape.join(', ')}]`);
    }
  }

  isRowSparse(variable: tf.Variable): boolean {
    return this.sparseNames.has(variable.name);
  }

  /** Rows (distinct, int32) of a row-sparse variable that the next step's loss can reach. */
  touchRows(variable: tf.Variable, rows: Int32Array): void {
    if (!this.sparseNames.has(variable.name)) throw new RangeError(`"${variable.name}" is not a row-sparse variable of this optimizer`);
    this.touched.set(variable.name, rows);
  }

  applyGradients(variableGradients: tf.NamedTensorMap | readonly { name: string; tensor: tf.Tensor }[]): void {
    const grads: Record<string, tf.Tensor | undefined> = Array.isArray(variableGradients)
      ? Object.fromEntries(variableGradients.map((g) => [g.name, g.tensor] as const))
      : (variableGradients as tf.NamedTensorMap);
    this.steps++;
    tf.tidy(() => {
      const s = this.scalars();
      const dense: [string, tf.Tensor][] = [];
      for (const [name, g] of Object.entries(grads)) {
        if (g == null) continue;
        if (this.sparseNames.has(name)) this.applySparse(name, g, s);
        else dense.push([name, g]);
      }
      if (dense.length > 0) this.applyDense(new Map(dense), s);
    });
    this.touched.clear();
    this.incrementIterations();
  }

  private scalars(): Scalars {
    const c1 = 1 - this.beta1 ** this.steps;
    const c2 = 1 - this.beta2 ** this.steps;
    const a2 = 1 - this.beta2;
    return {
      b1: tf.scalar(this.beta1),
      b2: tf.scalar(this.beta2),
      k: tf.scalar((this.learningRate * (1 - this.beta1) * Math.sqrt(c2)) / (c1 * Math.sqrt(a2))),
      eps: tf.scalar(this.epsilon * Math.sqrt(c2 / a2)),
    };
  }

  /** New (scaled) m, v and the step to subtract, for gradient g (any shape) and moments m, v. */
  private update(g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: Scalars): { m: tf.Tensor; v: tf.Tensor; delta: tf.Tensor } {
    const m2 = tf.add(tf.mul(m, s.b1), g);
    const v2 = tf.add(tf.mul(v, s.b2), tf.square(g));
    const delta = tf.mul(tf.div(m2, tf.add(tf.sqrt(v2), s.eps)), s.k);
    return { m: m2, v: v2, delta };
  }

  private applyDense(grads: Map<string, tf.Tensor>, s: Scalars): void {
    const small = [...grads].filter(([name]) => variableNamed(name).size < SEPARATE_SIZE);
    for (const [name, g] of grads) {
      if (variableNamed(name).size >= SEPARATE_SIZE) this.applyOne(name, g, s);
    }
    if (small.length > 0) this.applyFlat(new Map(small), s);
  }

  /** A large variable on its own (flattening it in would copy it twice more per step). */
  private applyOne(name: string, g: tf.Tensor, s: Scalars): void {
    const value = variableNamed(name);
    const moments = this.momentsOf(name, value);
    const next = this.update(g, moments.m, moments.v, s);
    moments.m.assign(next.m);
    moments.v.assign(next.v);
    value.assign(tf.sub(value, next.delta));
  }

  private applyFlat(grads: Map<string, tf.Tensor>, s: Scalars): void {
    const flat = this.flatMoments([...grads.keys()]);
    const present = flat.names.map((n) => grads.has(n));
    const g = tf.concat(flat.names.map((n, i) => (grads.has(n) ? tf.reshape(grads.get(n)!, [-1]) : tf.zeros([flat.sizes[i]!]))));
    const next = this.update(g, flat.m, flat.v, s);
    if (present.every(Boolean)) {
      flat.m.assign(next.m);
      flat.v.assign(next.v);
    } else {
      // tf.train.adam skips a variable without a gradient entirely, moments included.
      const on = tf.concat(present.map((p, i) => tf.fill([flat.sizes[i]!], p ? 1 : 0, 'bool')));
      flat.m.assign(tf.where(on, next.m, flat.m));
      flat.v.assign(tf.where(on, next.v, flat.v));
    }
    // One subtract over all values and one split (on wasm the heap-to-heap SplitV of
    // wasm-kernels.ts), not a subtract and a gather per variable: for tiny tensors the
    // wasm kernel call costs far more than the work.
    const variables = flat.names.map(variableNamed);
    const values = tf.split(tf.sub(tf.concat(variables.map((v) => tf.reshape(v, [-1]))), next.delta), [...flat.sizes]);
    variables.forEach((v, i) => {
      if (present[i]) v.assign(tf.reshape(values[i]!, v.shape));
    });
  }

  private momentsOf(name: string, value: tf.Variable): Moments {
    let moments = this.moments.get(name);
    if (!moments) {
      moments = tf.tidy(() => ({ m: tf.variable(tf.zerosLike(value), false), v: tf.variable(tf.zerosLike(value), false) }));
      this.moments.set(name, moments);
    }
    return moments;
  }

  /** Flat moments over every small dense variable seen so far (zero on first sight). */
  private flatMoments(names: readonly string[]): FlatMoments {
    const known = this.flat?.names ?? [];
    const added = names.filter((n) => !known.includes(n));
    if (this.flat && added.length === 0) return this.flat;
    const all = [...known, ...added];
    const sizes = all.map((n) => variableNamed(n).size);
    const extra = sizes.slice(known.length).reduce((a, b) => a + b, 0);
    const next = tf.tidy(() => {
      const grow = (old: tf.Variable | undefined): tf.Variable =>
        tf.variable(old ? tf.concat([old, tf.zeros([extra])]) : tf.zeros([extra]), false);
      return { names: all, sizes, m: grow(this.flat?.m), v: grow(this.flat?.v) };
    });
    this.disposeFlat();
    this.flat = next;
    return next;
  }

  private disposeFlat(): void {
    if (this.flat) tf.dispose([this.flat.m, this.flat.v]);
    this.flat = undefined;
  }

  private applySparse(name: string, grad: tf.Tensor, s: Scalars): void {
    const rowsArray = this.touched.get(name);
    if (!rowsArray) throw new ModelError(`row-sparse Adam: touchRows() was not called for "${name}" before this step`);
    const value = variableNamed(name);
    const moments = this.momentsOf(name, value);
    const rows = tf.tensor2d(rowsArray, [rowsArray.length, 1], 'int32');
    const next = this.update(tf.gatherND(grad, rows), tf.gatherND(moments.m, rows), tf.gatherND(moments.v, rows), s);
    moments.m.assign(tf.tensorScatterUpdate(moments.m, rows, next.m));
    moments.v.assign(tf.tensorScatterUpdate(moments.v, rows, next.v));
    value.assign(tf.tensorScatterUpdate(value, rows, tf.sub(tf.gatherND(value, rows), next.delta)));
  }

  override dispose(): void {
    super.dispose();
    this.disposeFlat();
    for (const m of this.moments.values()) tf.dispose([m.m, m.v]);
    this.moments.clear();
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

function variableNamed(name: string): tf.Variable {
  const v = tf.engine().registeredVariables[name];
  if (!v) throw new ModelError(`internal: optimizer got a gradient for unknown variable "${name}"`);
  return v;
}
