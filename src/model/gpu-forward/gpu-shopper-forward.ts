/**
 * A whole recommendation on the raw WebGPU API: ShopperForward's arithmetic (history rows,
 * every view's encoder, domain attention, a domain's scores, top-k) as five WGSL kernels
 * recorded in ONE command encoder with ONE submit and ONE read-back. tfjs-backend-webgpu
 * ran ~380 small kernels per shopper, each paying its host overhead (113 ms on an H100 for
 * 4.9 ms of GPU time); here the host records 3 dispatches (scores) or 5 (top-k) with pipelines
 * and bind groups made once, and the weights and item tables are uploaded once at creation.
 * The same read-back also carries what an explanation reports (GpuAttention): the domain
 * attention over the views and the mixed view's attention row, which the kernels computed on
 * the way; after the scores or top-k in the read-back buffer.
 */
import type { Catalog } from '../../catalog/types.ts';
import { domainItemsOf } from '../../catalog/catalog.ts';
import { topK as cpuTopK } from '../../eval/top-k.ts';
import { DeviceLostError, ModelError } from '../errors.ts';
import type { HafModel } from '../model.ts';
import { TILE } from '../shopper-forward-layout.ts';
import { createBuffers, destroyBuffers, requestBuffer, type GpuBuffers } from './gpu-buffers.ts';
import { compilePipelines, makeBindGroups, type BindGroups, type Pipelines, type Stage } from './gpu-pipelines.ts';
import { requestWords } from './gpu-request.ts';
import { packDomainTables, packWeights } from './gpu-weights.ts';
import { explainFloats, paramWords, type CallParams, NONE } from './wgsl-common.ts';
import { SCORE_WORKGROUP } from './wgsl-score.ts';
import { TOP_K_CHUNK, TOP_K_MAX } from './wgsl-top-k.ts';

/** The attention an explanation reports, as ShopperForward's ShopperAttention has it. */
export interface GpuAttention {
  /** [V] domain attention over the views: 0 for an empty view. */
  readonly beta: Float32Array;
  /** [t] the explained (mixed) view's last-block softmax row of its query, oldest first; undefined when that view is empty. */
  readonly positions: Float32Array | undefined;
}

/** A domain's scores (domainItems order) and the attention behind them, from one read-back. */
export interface GpuScores {
  readonly scores: Float32Array;
  readonly attention: GpuAttention;
}

export interface GpuTopK {
  /** Catalog indices, best first. */
  readonly items: Int32Array;
  readonly scores: Float32Array;
  readonly attention: GpuAttention;
}

/** What the host has sent the GPU since creation: per call, one submit and one read-back. */
export interface GpuForwardCounts {
  calls: number;
  dispatches: number;
  submits: number;
  readBacks: number;
}

interface Shape {
  readonly maxLength: number;
  readonly viewAt: Uint32Array;
  readonly tableAt: readonly number[];
  /** The view an explanation reports: the mixed one. */
  readonly explainView: number;
}

/** One call's read-back: `size` bytes of the scores or top-k, then the attention. */
interface ReadBack {
  readonly payload: ArrayBuffer;
  readonly attention: GpuAttention;
}

export class GpuShopperForward {
  readonly counts: GpuForwardCounts = { calls: 0, dispatches: 0, submits: 0, readBacks: 0 };
  private lost: string | undefined;
  private disposed = false;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly device: GPUDevice,
    private readonly catalog: Catalog,
    private readonly shape: Shape,
    private readonly pipelines: Pipelines,
    private readonly buffers: GpuBuffers,
    private groups: BindGroups,
  ) {
    void device.lost.then((info) => (this.lost = `${info.reason}: ${info.message}`));
  }

  /**
   * The pass for `model` over the item table `vectors` ([size + 1, d] row-major) on `device`,
   * or undefined for a model ShopperForward does not cover (several heads, no domain
   * attention, a width not in whole tiles) or tables larger than the device binds.
   */
  static async create(device: GPUDevice, model: HafModel, catalog: Catalog, vectors: Float32Array): Promise<GpuShopperForward | undefined> {
    const { config } = model;
    const fusion = model.tree.domain;
    if (config.heads !== 1 || config.singleDomain || !fusion || config.dim % TILE !== 0) return undefined;
    const d = config.dim;
    const views = model.tree.views.length;
    const width = fusion.b.shape[0]!;
    const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
    if (4 * vectors.length > limit || 4 * (views * width + views) > device.limits.maxComputeWorkgroupStorageSize) return undefined;
    const weights = await packWeights(model.tree.views, fusion);
    const tables = packDomainTables(catalog, vectors, d);
    if (4 * Math.max(weights.data.length, tables.data.length) > limit) return undefined;
    const largest = Math.max(1, ...catalog.domainItems.map((items) => items.length));
    const explainView = catalog.domains.length;
    const encoder = { d, maxLength: config.maxLength, views, blocks: config.blocks, explainView };
    const pipelines = await compilePipelines(device, encoder, { width, at: weights.fusion });
    const buffers = createBuffers(device, { d, maxLength: config.maxLength, views, largest }, { weights: weights.data, table: vectors, tables: tables.data, viewAt: weights.viewAt });
    const shape = { maxLength: config.maxLength, viewAt: weights.viewAt, tableAt: tables.at, explainView };
    return new GpuShopperForward(device, catalog, shape, pipelines, buffers, makeBindGroups(device, pipelines, buffers));
  }

  /** Scores of every item of `domain` (domainItems order); `history` holds validated catalog indices. */
  async scoreDomain(history: Int32Array, domain: number): Promise<Float32Array> {
    if (domainItemsOf(this.catalog, domain).length === 0) return new Float32Array(0);
    return (await this.scoreWithAttention(history, domain)).scores;
  }

  /** scoreDomain() and the attention an explanation reports, from the same submit and read-back. */
  async scoreWithAttention(history: Int32Array, domain: number): Promise<GpuScores> {
    const n = domainItemsOf(this.catalog, domain).length;
    if (n === 0) return { scores: new Float32Array(0), attention: await this.attention(history, domain) };
    const call = this.call(domain, n, 0, 0);
    const out = await this.serial(() => this.submit(call, requestWords(this.catalog, this.shape, history, domain), this.scoreWork(n), this.buffers.scores, 4 * n));
    return { scores: new Float32Array(out.payload), attention: out.attention };
  }

  /** The attention alone: every view's encoder and the domain attention (2 dispatches), no domain scored. */
  async attention(history: Int32Array, domain: number): Promise<GpuAttention> {
    const words = requestWords(this.catalog, this.shape, history, domain);
    return (await this.serial(() => this.submit(this.call(domain, 0, 0, 0), words, this.encodeWork(), this.buffers.scores, 0))).attention;
  }

  /** The k best items of `domain` (ties to catalog order), never an item of `exclude`, and their attention; the top-k runs on the GPU for k <= 512. */
  async topK(history: Int32Array, domain: number, k: number, exclude?: ReadonlySet<number>): Promise<GpuTopK> {
    const items = domainItemsOf(this.catalog, domain);
    const kk = Math.min(Math.floor(k), items.length);
    if (!(kk >= 1)) return { items: new Int32Array(0), scores: new Float32Array(0), attention: await this.attention(history, domain) };
    if (kk > TOP_K_MAX) return this.topKOnHost(history, domain, kk, exclude);
    const words = requestWords(this.catalog, this.shape, history, domain, exclude);
    const chunks = Math.ceil(items.length / TOP_K_CHUNK);
    const call = this.call(domain, items.length, kk, chunks * kk, words.length - this.requestHead());
    const work: [Stage, number][] = [...this.scoreWork(items.length), ['partial', chunks], ['merge', 1]];
    const out = await this.serial(() => this.submit(call, words, work, this.buffers.best, 8 * kk));
    const best = new Uint32Array(out.payload);
    const keys = new Float32Array(out.payload);
    const picked: { item: number; score: number }[] = [];
    for (let i = 0; i < kk; i++) if (best[2 * i + 1] !== NONE) picked.push({ item: items[best[2 * i + 1]!]!, score: keys[2 * i]! });
    return { items: Int32Array.from(picked, (r) => r.item), scores: Float32Array.from(picked, (r) => r.score), attention: out.attention };
  }

  /** Destroys the GPU buffers; later calls throw. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    destroyBuffers(this.buffers);
  }

  private async topKOnHost(history: Int32Array, domain: number, k: number, exclude?: ReadonlySet<number>): Promise<GpuTopK> {
    const { scores, attention } = await this.scoreWithAttention(history, domain);
    const best = cpuTopK(scores, this.catalog.domainItems[domain]!, k, exclude);
    return { items: Int32Array.from(best, (r) => r.item), scores: Float32Array.from(best, (r) => r.score), attention };
  }

  private requestHead(): number {
    return this.shape.viewAt.length * (1 + this.shape.maxLength);
  }

  private call(domain: number, n: number, k: number, partials: number, excludeCount = 0): CallParams {
    return { domain, n, tableAt: this.shape.tableAt[domain]!, k, excludeCount, partials };
  }

  /** Every view's encoder and the domain attention. */
  private encodeWork(): [Stage, number][] {
    return [
      ['encode', this.shape.viewAt.length],
      ['fuse', 1],
    ];
  }

  private scoreWork(n: number): [Stage, number][] {
    return [...this.encodeWork(), ['score', Math.ceil(n / SCORE_WORKGROUP)]];
  }

  /** Calls one after another: they share the request, scratch and read-back buffers. */
  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Records `work` in one command encoder with the copies of `size` bytes of `from` and of the
   * explanation buffer after them into the read-back buffer; submits it once and maps it once.
   */
  private async submit(call: CallParams, words: Uint32Array, work: readonly [Stage, number][], from: GPUBuffer, size: number): Promise<ReadBack> {
    this.check();
    this.makeRoom(words.length - this.requestHead());
    const { device, buffers: b } = this;
    device.queue.writeBuffer(b.params, 0, paramWords(call));
    device.queue.writeBuffer(b.request, 0, words);
    const encoder = device.createCommandEncoder({ label: 'hafrec-gpu-forward' });
    const pass = encoder.beginComputePass();
    for (const [stage, groups] of work) {
      pass.setPipeline(this.pipelines[stage]);
      pass.setBindGroup(0, this.groups[stage]);
      pass.dispatchWorkgroups(groups);
    }
    pass.end();
    const why = 4 * explainFloats(this.shape.viewAt.length, this.shape.maxLength);
    if (size > 0) encoder.copyBufferToBuffer(from, 0, b.readBack, 0, size);
    encoder.copyBufferToBuffer(b.why, 0, b.readBack, size, why);
    device.queue.submit([encoder.finish()]);
    this.count(work.length);
    const out = await this.read(size + why);
    return { payload: out.slice(0, size), attention: this.attentionOf(out.slice(size), words) };
  }

  /** Maps the first `size` bytes of the read-back buffer and copies them out. */
  private async read(size: number): Promise<ArrayBuffer> {
    const b = this.buffers;
    try {
      await b.readBack.mapAsync(GPUMapMode.READ, 0, size);
    } catch (error) {
      await new Promise((resolve) => setTimeout(resolve, 0)); // a loss is reported after the failed map that revealed it
      this.check();
      throw error;
    }
    const out = b.readBack.getMappedRange(0, size).slice(0);
    b.readBack.unmap();
    return out;
  }

  /** The explanation buffer's floats (explainFloats) as GpuAttention; the explained view's rows come from the request `words`. */
  private attentionOf(why: ArrayBuffer, words: Uint32Array): GpuAttention {
    const views = this.shape.viewAt.length;
    const t = words[this.shape.explainView]!;
    const floats = new Float32Array(why);
    return { beta: floats.slice(0, views), positions: t > 0 ? floats.slice(views, views + t) : undefined };
  }

  private count(dispatches: number): void {
    this.counts.calls++;
    this.counts.dispatches += dispatches;
    this.counts.submits++;
    this.counts.readBacks++;
  }

  private check(): void {
    if (this.lost !== undefined) throw new DeviceLostError(`the WebGPU device of the fused recommendation pass was lost (${this.lost}); create the pass again on a new device or use ShopperForward`);
    if (this.disposed) throw new ModelError('the fused WebGPU recommendation pass was disposed');
  }

  /** Grows the request buffer (and the bind groups that hold it) for `excluded` positions. */
  private makeRoom(excluded: number): void {
    const b = this.buffers;
    if (excluded <= b.excludeRoom) return;
    b.request.destroy();
    b.excludeRoom = Math.max(excluded, 2 * b.excludeRoom);
    b.request = requestBuffer(this.device, { d: 0, maxLength: this.shape.maxLength, views: this.shape.viewAt.length, largest: 0 }, b.excludeRoom);
    this.groups = makeBindGroups(this.device, this.pipelines, b);
  }
}
