/**
 * A whole recommendation on the raw WebGPU API: ShopperForward's arithmetic (history rows,
 * every view's encoder, domain attention, a domain's scores, top-k) as five WGSL kernels
 * recorded in ONE command encoder with ONE submit and ONE read-back. tfjs-backend-webgpu
 * ran ~380 small kernels per shopper, each paying its host overhead (113 ms on an H100 for
 * 4.9 ms of GPU time); here the host records 3 dispatches (scores) or 5 (top-k) with pipelines
 * and bind groups made once, and the weights and item tables are uploaded once at creation.
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
import { paramWords, type CallParams, NONE } from './wgsl-common.ts';
import { SCORE_WORKGROUP } from './wgsl-score.ts';
import { TOP_K_CHUNK, TOP_K_MAX } from './wgsl-top-k.ts';

export interface GpuTopK {
  /** Catalog indices, best first. */
  readonly items: Int32Array;
  readonly scores: Float32Array;
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
    const encoder = { d, maxLength: config.maxLength, views, blocks: config.blocks };
    const pipelines = await compilePipelines(device, encoder, { width, at: weights.fusion });
    const buffers = createBuffers(device, { d, maxLength: config.maxLength, views, largest }, { weights: weights.data, table: vectors, tables: tables.data, viewAt: weights.viewAt });
    const shape = { maxLength: config.maxLength, viewAt: weights.viewAt, tableAt: tables.at };
    return new GpuShopperForward(device, catalog, shape, pipelines, buffers, makeBindGroups(device, pipelines, buffers));
  }

  /** Scores of every item of `domain` (domainItems order); `history` holds validated catalog indices. */
  scoreDomain(history: Int32Array, domain: number): Promise<Float32Array> {
    const n = domainItemsOf(this.catalog, domain).length;
    if (n === 0) return Promise.resolve(new Float32Array(0));
    const call = this.call(domain, n, 0, 0);
    const work = this.scoreWork(n);
    return this.serial(async () => new Float32Array(await this.submit(call, requestWords(this.catalog, this.shape, history, domain), work, this.buffers.scores, 4 * n)));
  }

  /** The k best items of `domain` (ties to catalog order), never an item of `exclude`; the top-k runs on the GPU for k <= 512. */
  async topK(history: Int32Array, domain: number, k: number, exclude?: ReadonlySet<number>): Promise<GpuTopK> {
    const items = domainItemsOf(this.catalog, domain);
    const kk = Math.min(Math.floor(k), items.length);
    if (!(kk >= 1)) return { items: new Int32Array(0), scores: new Float32Array(0) };
    if (kk > TOP_K_MAX) return this.topKOnHost(history, domain, kk, exclude);
    const words = requestWords(this.catalog, this.shape, history, domain, exclude);
    const chunks = Math.ceil(items.length / TOP_K_CHUNK);
    const call = this.call(domain, items.length, kk, chunks * kk, words.length - this.requestHead());
    const work: [Stage, number][] = [...this.scoreWork(items.length), ['partial', chunks], ['merge', 1]];
    const best = new Uint32Array(await this.serial(() => this.submit(call, words, work, this.buffers.best, 8 * kk)));
    const keys = new Float32Array(best.buffer);
    const out: { item: number; score: number }[] = [];
    for (let i = 0; i < kk; i++) if (best[2 * i + 1] !== NONE) out.push({ item: items[best[2 * i + 1]!]!, score: keys[2 * i]! });
    return { items: Int32Array.from(out, (r) => r.item), scores: Float32Array.from(out, (r) => r.score) };
  }

  /** Destroys the GPU buffers; later calls throw. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    destroyBuffers(this.buffers);
  }

  private async topKOnHost(history: Int32Array, domain: number, k: number, exclude?: ReadonlySet<number>): Promise<GpuTopK> {
    const best = cpuTopK(await this.scoreDomain(history, domain), this.catalog.domainItems[domain]!, k, exclude);
    return { items: Int32Array.from(best, (r) => r.item), scores: Float32Array.from(best, (r) => r.score) };
  }

  private requestHead(): number {
    return this.shape.viewAt.length * (1 + this.shape.maxLength);
  }

  private call(domain: number, n: number, k: number, partials: number, excludeCount = 0): CallParams {
    return { domain, n, tableAt: this.shape.tableAt[domain]!, k, excludeCount, partials };
  }

  private scoreWork(n: number): [Stage, number][] {
    return [
      ['encode', this.shape.viewAt.length],
      ['fuse', 1],
      ['score', Math.ceil(n / SCORE_WORKGROUP)],
    ];
  }

  /** Calls one after another: they share the request, scratch and read-back buffers. */
  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Records `work` in one command encoder, submits it once and reads `size` bytes of `from` back. */
  private async submit(call: CallParams, words: Uint32Array, work: readonly [Stage, number][], from: GPUBuffer, size: number): Promise<ArrayBuffer> {
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
    encoder.copyBufferToBuffer(from, 0, b.readBack, 0, size);
    device.queue.submit([encoder.finish()]);
    this.count(work.length);
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
