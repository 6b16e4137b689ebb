/**
 * Which pass serves the tag's whole-domain scores: the fused WebGPU pass or the SIMD pass
 * (tfjs on a WebGPU backend). The fused pass gets a device of its own (not tfjs's: its loss
 * and tfjs's recovery stay apart), requested here only when it may be used: 'auto' asks for an
 * adapter and stops at a fallback one (SwiftShader, where it measured ~100x slower). The timed
 * call is the tag's own: scores, then the explanation of the same history (haf-one-pass.ts).
 * Both paths give both from one pass (the fused one reads its attention back with the
 * scores), so the fused pass is kept only when its scores-and-attention call beats the SIMD
 * pass's.
 */
import { chooseWholeDomain, type FusedGpu, type WholeDomainChoice, type WholeDomainRequest } from '../model/whole-domain-choice.ts';
import type { HafRecommender } from '../model/recommender.ts';
import { onePassHaf } from './haf-one-pass.ts';

interface AdapterLike {
  readonly info?: { readonly isFallbackAdapter?: boolean };
  readonly isFallbackAdapter?: boolean;
  readonly limits: { readonly maxStorageBufferBindingSize: number; readonly maxBufferSize: number };
  requestDevice(descriptor?: GPUDeviceDescriptor): Promise<GPUDevice>;
}

interface GpuLike {
  requestAdapter(): Promise<AdapterLike | null>;
}

/** What serves whole-domain requests now: the choice, updated when a lost device drops the fused pass. */
export interface WholeDomainStatus {
  current(): WholeDomainChoice;
}

const noGpu = (detail: string): FusedGpu => ({ isFallbackAdapter: false, detail });

/** A device for the fused pass (the adapter's largest buffers), or why there is none. Never throws. */
export async function fusedGpu(request: WholeDomainRequest, gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu): Promise<FusedGpu> {
  if (request === 'simd') return { isFallbackAdapter: false };
  if (!gpu) return noGpu('no navigator.gpu');
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return noGpu('requestAdapter() found none');
    const isFallbackAdapter = Boolean(adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false);
    if (isFallbackAdapter && request === 'auto') return { isFallbackAdapter };
    const { maxStorageBufferBindingSize, maxBufferSize } = adapter.limits;
    const device = await adapter.requestDevice({ requiredLimits: { maxStorageBufferBindingSize, maxBufferSize } });
    return { device, isFallbackAdapter, release: () => device.destroy() };
  } catch (error) {
    return noGpu(`asking for a WebGPU device failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Chooses the pass for `haf` (installing the fused one when chosen) and reports it, also after a loss. */
export async function chooseTagWholeDomain(haf: HafRecommender, request: WholeDomainRequest = 'auto', gpu?: FusedGpu): Promise<WholeDomainStatus> {
  const probe = onePassHaf(haf);
  const work = async (history: Int32Array, domain: number): Promise<void> => {
    await probe.scorer.score([{ history, domain }]);
    await probe.explanation(history, domain);
  };
  let choice = await chooseWholeDomain(haf, gpu ?? (await fusedGpu(request)), {
    request,
    work,
    onLost: (next) => {
      choice = next;
      console.warn(`hafrec: the fused WebGPU pass lost its device (${next.detail}); whole-domain scores come from the SIMD pass`);
    },
  });
  if (choice.reason === 'failed') console.warn(`hafrec: the fused WebGPU pass could not start (${choice.detail}); whole-domain scores come from the SIMD pass`);
  return { current: () => choice };
}
