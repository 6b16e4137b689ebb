import type {
  WorkbenchBackend,
  WorkbenchModelChoice,
  JobProgress,
  WorkbenchRequest,
  WorkbenchResults,
  ModelInfo,
  SpeedReadout,
  TrainRequest,
  TrainSummary,
} from './workbench-protocol.ts';
import { DEMO_DB_NAME, WORKBENCH_KINDS } from './workbench-protocol.ts';
import { isBaselineKind, isHafKind } from '../model-kinds.ts';
import { rankTarget, runEvaluation, shopperCase, snapshotCatalog } from './workbench-jobs.ts';
import { loadWorkbenchData, type WorkbenchData } from './workbench-data.ts';
import { BASELINE_VIEWS, createCooccurrenceModel, type WorkbenchModel } from './workbench-models.ts';
import { HafrecWorkerError } from '../errors.ts';
import type { RpcJob } from '../rpc.ts';
import type { ServingSession } from '../serving-session.ts';
import { serveRecommendations } from '../recommend-service.ts';
import { openHistoryStore, type HistoryStore } from '../../store/history-store.ts';
import { DEFAULT_RETENTION } from '../../store/retention.ts';
import { EVENTS_PER_HISTORY } from '../../store/history-sequence.ts';

/**
 * The engine's workbench (a lazy chunk of the engine worker, loaded on the first workbench
 * request): owns the dataset, the recommenders and every long job, so that the demo page only
 * renders. A cancelled call aborts its job's signal, which the job checks between batches
 * (evaluation) or steps (training). tfjs and the HAF model load lazily, on first use.
 */
let data: WorkbenchData | undefined;
let model: WorkbenchModel | undefined;
let modelUrl = './models/';
let dataUrl = './data/';
/** The demo's history database, opened here too: recommendations and ranks read the stored history in the engine, as a shop's do. */
let demoStore: Promise<HistoryStore> | undefined;
let hafProblem: string | undefined;
let choice: WorkbenchModelChoice = 'auto';
type Haf = typeof import('./workbench-haf.ts');
type Handle = import('./workbench-haf.ts').HafHandle;
let haf: Handle | undefined;
let trainer: import('./workbench-train.ts').WorkbenchTrainer | undefined;
let tfBackend = 'js';
/** Set when the WebGPU device tfjs runs on is lost; the next job rebuilds on another backend. */
let deviceLost: string | undefined;

function need(): { data: WorkbenchData; model: WorkbenchModel } {
  if (!data || !model) throw new HafrecWorkerError('the engine has no dataset open: send "openDataset" first');
  return { data, model };
}

function demoHistory(): Promise<HistoryStore> {
  if (!demoStore) {
    demoStore = openHistoryStore({ name: DEMO_DB_NAME, broadcast: false, retention: DEFAULT_RETENTION });
    // A database that failed to open is tried again on the next request.
    demoStore.catch(() => (demoStore = undefined));
  }
  return demoStore;
}

/**
 * The demo page's serving session: its stored history, the dataset's catalog and the current
 * model, which the engine's recommend request is served from as a shop's session is. Runs
 * through withDevice, so a lost WebGPU device moves it to the next backend.
 */
export function useWorkbenchSession<T>(task: (session: ServingSession) => Promise<T>): Promise<T> {
  return withDevice(async () => {
    const { data: d, model: m } = need();
    return task({ store: await demoHistory(), catalog: d.dataset.catalog, recommender: m.recommender, baseUrl: dataUrl, backend: m.backend });
  }, () => undefined);
}

export async function serveWorkbench(request: WorkbenchRequest, job: RpcJob<JobProgress>): Promise<WorkbenchResults[WorkbenchRequest['kind']]> {
  const progress = job.progress;
  const stop = (): boolean => job.signal.aborted;
  switch (request.kind) {
    case 'openDataset': {
      modelUrl = request.options.modelUrl;
      dataUrl = request.options.dataUrl;
      data ??= await loadWorkbenchData(request.options.dataUrl, progress);
      const info = await switchModel(request.options.model, request.options.backend, progress);
      return { catalog: snapshotCatalog(data), model: info } satisfies WorkbenchResults['openDataset'];
    }
    case 'shopper':
      return shopperCase(need().data, request.split, request.user);
    case 'rank':
      return withDevice(async () => rankTarget(need().data, need().model, request.split, request.user, await (await demoHistory()).events({ limit: EVENTS_PER_HISTORY })), progress);
    case 'evaluate':
      return withDevice(() => runEvaluation(need().data, need().model.recommender, request.split, request.full, request.limit, progress, stop), progress);
    case 'useModel':
      return switchModel(request.model, request.backend, progress);
    case 'measure':
      return measure();
    case 'train':
      return train(request.train, progress, stop);
    case 'saveTrained':
      return saveTrained();
  }
}

async function hafModule(): Promise<Haf> {
  return import('./workbench-haf.ts');
}

async function ensureBackend(request: WorkbenchBackend): Promise<string> {
  const { useBackend, watchDeviceLoss } = await import('./workbench-tfjs.ts');
  const next = (await useBackend(request)).backend;
  if (next !== tfBackend) watchDeviceLoss((reason) => (deviceLost = reason));
  tfBackend = next;
  return tfBackend;
}

/**
 * Runs a scoring job; when the WebGPU device was lost (before it, or revealed by its failure),
 * moves to the next backend that starts, reloads the model there and runs the job again.
 */
async function withDevice<T>(run: () => Promise<T>, progress: (p: JobProgress) => void): Promise<T> {
  if (deviceLost !== undefined) await recoverDevice(deviceLost, progress);
  try {
    return await run();
  } catch (error) {
    if (tfBackend !== 'webgpu' || !(await (await import('./workbench-tfjs.ts')).webGpuDeviceGone())) throw error;
    await recoverDevice(deviceLost ?? (error as Error).message, progress);
    return run();
  }
}

/** Every tensor lived on the lost device: drop them, fall back, and load the weights again. */
async function recoverDevice(reason: string, progress: (p: JobProgress) => void): Promise<void> {
  deviceLost = undefined;
  const dead = [trainer, haf?.recommender, model];
  [trainer, haf, model] = [undefined, undefined, undefined];
  for (const part of dead) {
    try {
      part?.dispose();
    } catch {
      // Freeing tensors of a lost device may throw; they are gone either way.
    }
  }
  const fallback = await (await import('./workbench-tfjs.ts')).recoverFromDeviceLoss(reason);
  console.warn(`hafrec demo: the WebGPU device was lost (${reason}); continuing on ${fallback.backend}`);
  tfBackend = fallback.backend;
  await switchModel(choice, fallback.backend, progress);
}

/** Loads HAF once (weights trained in this browser first, then the shipped ones); records why not. */
async function ensureHaf(d: WorkbenchData, request: WorkbenchBackend, progress: (p: JobProgress) => void): Promise<void> {
  progress({ stage: 'Looking for HAF weights', done: 0, total: 3 });
  try {
    const mod = await hafModule();
    const sources = haf ? [] : await mod.findWeights(modelUrl);
    if (haf || sources.length > 0) {
      progress({ stage: 'Starting TensorFlow.js (choosing the fastest backend)', done: 1, total: 3 });
      await ensureBackend(request);
      haf?.recommender.invalidate();
    }
    if (!haf && sources.length > 0) {
      progress({ stage: `Loading HAF weights and item text features (${tfBackend})`, done: 2, total: 3 });
      const problems: string[] = [];
      haf = await mod.loadHafHandle(d, sources, (why) => problems.push(why));
      hafProblem = haf ? undefined : problems.join('; ');
    } else if (!haf) {
      hafProblem = `no HAF weights: none trained in this browser and none shipped at ${modelUrl}haf-food-kitchen/`;
    }
  } catch (error) {
    hafProblem = `TensorFlow.js could not start: ${(error as Error).message}`;
  }
  progress({ stage: 'Model ready', done: 3, total: 3 });
}

/** The view of the HAF handle the current choice asks for ("auto": the blend). */
async function hafView(handle: Handle, d: WorkbenchData): Promise<WorkbenchModel> {
  const mod = await hafModule();
  return mod.HAF_VIEWS[isHafKind(choice) ? choice : 'haf+cooccurrence'](handle, d, tfBackend);
}

async function switchModel(requested: WorkbenchModelChoice, request: WorkbenchBackend, progress: (p: JobProgress) => void): Promise<ModelInfo> {
  const d = data;
  if (!d) throw new HafrecWorkerError('the engine has no dataset open: send "openDataset" first');
  choice = requested;
  if (isBaselineKind(requested)) {
    replaceModel(await BASELINE_VIEWS[requested](d));
    return info();
  }
  await ensureHaf(d, request, progress);
  if (haf) replaceModel(await hafView(haf, d));
  else if (requested !== 'auto') throw new HafrecWorkerError(`HAF is not available: ${hafProblem}`);
  else replaceModel(await createCooccurrenceModel(d));
  return info();
}

function replaceModel(next: WorkbenchModel): void {
  model?.dispose();
  model = next;
}

async function info(): Promise<ModelInfo> {
  const m = model!;
  const features = haf ? (await hafModule()).featureOrigin() : undefined;
  return {
    active: m.recommender.name,
    available: WORKBENCH_KINDS.filter((kind) => haf || !isHafKind(kind)),
    backend: m.backend,
    note: m.note,
    canResume: trainer !== undefined,
    ...(haf ? { weights: haf.source } : {}),
    ...(hafProblem ? { hafProblem } : {}),
    ...(features ? { features } : {}),
  };
}

/** Median time of the store's recommend path over every domain (with insight), for the first test shopper's last 20 items. */
async function measure(): Promise<SpeedReadout> {
  const { data: d, model: m } = need();
  const { catalog } = d.dataset;
  const events = Array.from(d.dataset.test[0]!.history.subarray(-20), (i, ts) => ({ type: 'purchase' as const, itemId: catalog.id(i), domain: catalog.domains[catalog.domainOf[i]!]!, ts }));
  const times: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    for (const domain of catalog.domains) {
      await serveRecommendations({ catalog, recommender: m.recommender, events, domain, k: 10, baseUrl: dataUrl, insight: true });
    }
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const matMulMs = m.backend === 'js' ? undefined : await (await import('./workbench-tfjs.ts')).timeMatMul();
  return { backend: m.backend, recommendMs: times[3]!, ...(matMulMs === undefined ? {} : { matMulMs }) };
}

async function train(request: TrainRequest, progress: (p: JobProgress) => void, stop: () => boolean): Promise<TrainSummary> {
  const { data: d } = need();
  const mod = await hafModule();
  const { WorkbenchTrainer } = await import('./workbench-train.ts');
  progress({ stage: 'Preparing training', done: 0, total: request.steps });
  await ensureBackend(request.backend);
  if (request.mode === 'resume' && !trainer) throw new HafrecWorkerError('nothing to resume: start training first');
  if (request.mode !== 'resume') {
    trainer?.dispose();
    trainer = undefined;
    if (request.mode === 'scratch' || !haf) {
      haf?.recommender.dispose();
      haf = undefined;
      haf = await mod.createScratchHandle(d);
    }
    trainer = new WorkbenchTrainer(haf, d, request);
  }
  const summary = await trainer!.run(request.steps, progress, stop);
  if (isBaselineKind(choice)) choice = 'auto';
  replaceModel(await hafView(trainer!.handle, d));
  return { ...summary, backend: tfBackend };
}

async function saveTrained(): Promise<ModelInfo> {
  const { data: d } = need();
  if (!haf) throw new HafrecWorkerError('there is no HAF model to save: train one first');
  const mod = await hafModule();
  await mod.saveToBrowser(haf, d, { trainedIn: 'browser', steps: trainer?.step ?? 0, backend: tfBackend, savedAt: new Date().toISOString() });
  replaceModel(await hafView(haf, d));
  return info();
}
