import { WORKBENCH_BACKENDS, WORKBENCH_MODELS, type WorkbenchBackend, type WorkbenchModelChoice } from '../engine/workbench/workbench-protocol.ts';

/** UI preferences (not shopper data): kept in localStorage. */
export interface DemoSettings {
  model: WorkbenchModelChoice;
  backend: WorkbenchBackend;
  /** CLIP checkpoint: a Hugging Face id, a URL of a model folder, or the bundled tiny fixture. */
  clipSource: string;
}

export const DEFAULT_CLIP_SOURCE = 'tiny-clip';
const KEY = 'hafrec-demo-settings';

export function loadSettings(storage: Storage = localStorage): DemoSettings {
  let raw: Partial<DemoSettings> = {};
  try {
    raw = JSON.parse(storage.getItem(KEY) ?? '{}') as Partial<DemoSettings>;
  } catch {
    raw = {};
  }
  return {
    model: (WORKBENCH_MODELS as readonly string[]).includes(raw.model ?? '') ? raw.model! : 'auto',
    backend: (WORKBENCH_BACKENDS as readonly string[]).includes(raw.backend ?? '') ? raw.backend! : 'auto',
    clipSource: typeof raw.clipSource === 'string' && raw.clipSource.trim() ? raw.clipSource.trim() : DEFAULT_CLIP_SOURCE,
  };
}

export function saveSettings(settings: DemoSettings, storage: Storage = localStorage): void {
  storage.setItem(KEY, JSON.stringify(settings));
}
