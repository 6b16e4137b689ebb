/** What the browser's WebGPU adapter is, measured rather than assumed. */
export interface WebGpuInfo {
  readonly available: boolean;
  readonly isFallbackAdapter: boolean;
  readonly vendor: string;
  readonly architecture: string;
  readonly maxBufferSize: number;
  readonly features: readonly string[];
}

const NONE: WebGpuInfo = {
  available: false,
  isFallbackAdapter: false,
  vendor: '',
  architecture: '',
  maxBufferSize: 0,
  features: [],
};

interface AdapterLike {
  readonly info?: { vendor?: string; architecture?: string; isFallbackAdapter?: boolean };
  readonly isFallbackAdapter?: boolean;
  readonly limits: { maxBufferSize: number };
  readonly features: Iterable<string>;
}

interface GpuLike {
  requestAdapter(): Promise<AdapterLike | null>;
}

/** Asks `navigator.gpu` for an adapter; never throws (no WebGPU is an answer, not an error). */
export async function probeWebGpu(nav: unknown = (globalThis as { navigator?: unknown }).navigator): Promise<WebGpuInfo> {
  const gpu = (nav as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu) return NONE;
  let adapter: AdapterLike | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch {
    return NONE;
  }
  if (!adapter) return NONE;
  const info = adapter.info ?? {};
  return {
    available: true,
    isFallbackAdapter: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false),
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    maxBufferSize: adapter.limits.maxBufferSize,
    features: [...adapter.features].sort(),
  };
}
