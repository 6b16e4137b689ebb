/**
 * npm run train -- [--data DIR] [--no-modality-attention] [--no-domain-attention]
 *   [--id-only] [--single-domain] [--epochs N] [--out dir] [--negatives N|full] [--lr X]
 *   [--batch N] [--dropout X] [--weight-decay X] [--seed N] [--patience N] [--quantize q]
 *   [--sparse-item-adam] [--backend wasm|webgpu|cpu|auto] [--budget-minutes M] [--features FILE]
 *   [--item-init random|cooccurrence] [--distill W] [--id-dropout P]
 * Trains HAF on any dataset folder (default: Food-Kitchen) on the Node wasm backend, selects
 * the epoch on VALID sampled NDCG@10, reports valid (sampled + full ranking) and saves weights
 * + manifest to --out. With --budget-minutes, or with no recipe flag at all, it first chooses
 * its settings on valid within that budget (train-search.ts). It never reads the test files:
 * `npm run eval -- --split test` does, once chosen. --features FILE: the item features of a
 * feature file (`npm run embed`, e.g. CLIP image and text) instead of lexical text features.
 * --distill W: weight of the co-occurrence teacher in the training target (src/model/distill-teacher.ts;
 * default 0 for a fixed recipe; the search chooses it). --id-dropout P: share of each batch's items
 * described by their content only, as new products are (src/model/trainer.ts; default 0 for a fixed recipe).
 * --new-item-scale S: config.newItemScale, the factor on new products' content-only item vectors;
 * by default chosen after training from NEW_ITEM_SCALES on valid (scripts/cold-start.ts).
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FOOD_KITCHEN_DIR, loadTrainingData } from '../src/catalog/dataset-load.ts';
import type { FeatureTable } from '../src/catalog/features.ts';
import { evaluate } from '../src/eval/evaluate.ts';
import { formatReport } from '../src/eval/report-table.ts';
import { resolveConfig, type HafConfig } from '../src/model/config.ts';
import { averageInto } from '../src/model/average.ts';
import { createHafModel, ITEM_INITS } from '../src/model/create.ts';
import { fileHandler, selectNodeBackend } from '../src/model/node.ts';
import { QUANTIZATIONS } from '../src/model/quantize.ts';
import { HafRecommender } from '../src/model/recommender.ts';
import { defaultBudgetMinutes, trainingPositions, type TrainingSettings } from '../src/model/settings-search.ts';
import { train, DEFAULT_TRAIN, LR_SCHEDULES, type TrainProgress } from '../src/model/trainer.ts';
import { choiceArg, numberArg, parseArgs, stringArg, UsageError, type Args } from './args.ts';
import type { Catalog, TrainingData } from '../src/catalog/types.ts';
import type { HafModel } from '../src/model/model.ts';
import { loadHaf, readHafArtifacts, saveHaf } from '../src/model/weights-io.ts';
import { lexicalFeatures } from './haf-setup.ts';
import { featureTablesFor, readFeatureTables } from '../src/bundle/bundle-features.ts';
import { runCli } from './cli.ts';
import { searchSettings } from './train-search.ts';
import { chooseNewItemScale, newProductReport, type NewItemScaleChoice } from './cold-start.ts';

/** Flags that fix the recipe: given any of them (and no --budget-minutes), train runs that recipe as before. */
const SETTINGS_FLAGS = ['epochs', 'lr', 'batch', 'negatives', 'dropout', 'dim', 'distill', 'id-dropout', 'patience', 'lr-schedule', 'lr-decay', 'average', 'save-each-epoch', 'eval-each-epoch'] as const;
/** Recipe flags the search cannot honour (it chooses epochs and schedule itself). */
const NOT_WITH_SEARCH = ['epochs', 'patience', 'lr-schedule', 'lr-decay', 'average', 'save-each-epoch', 'eval-each-epoch'] as const;

const FLAGS = [
  'dataset', 'data', 'out', 'epochs', 'negatives', 'lr', 'batch', 'dropout', 'weight-decay', 'seed', 'patience',
  'no-modality-attention', 'no-domain-attention', 'id-only', 'single-domain', 'heads', 'blocks', 'dim',
  'max-batches', 'quantize', 'backend', 'text-dim', 'eval-each-epoch', 'init', 'sparse-item-adam', 'lr-schedule',
  'lr-decay', 'average', 'save-each-epoch', 'budget-minutes', 'features', 'item-init', 'distill', 'id-dropout', 'new-item-scale', 'help',
] as const;
const USAGE = `usage: npm run train -- --data DIR (a dataset folder, default ${FOOD_KITCHEN_DIR}; --dataset food-kitchen is the same) --out WDIR [${FLAGS.filter((f) => f !== 'dataset' && f !== 'data' && f !== 'out').map((f) => `--${f}`).join('] [')}]
  With --budget-minutes M, or with none of --${SETTINGS_FLAGS.join(' --')}, train searches its settings on valid within the budget (docs/model.md, "Choosing settings on data it has never seen").`;

const num = (args: Args, key: string, fallback: number): number => {
  const v = Number(stringArg(args, key, String(fallback)));
  if (!Number.isFinite(v)) throw new UsageError(`--${key} must be a number`);
  return v;
};

/** What a run produced, whichever way it trained. */
interface Trained {
  readonly model: HafModel;
  readonly features: FeatureTable[];
  /** The manifest's `training` field (and report.json's). */
  readonly training: Record<string, unknown>;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), FLAGS);
  if (args.help) return void console.log(USAGE);
  choiceArg(args, 'dataset', ['food-kitchen'], 'food-kitchen');
  const search = searchMode(args);
  const backend = await selectNodeBackend(choiceArg(args, 'backend', ['wasm', 'webgpu', 'cpu', 'auto'] as const, 'wasm'));
  // Training never opens the test files: selection is on valid, `npm run eval -- --split test` reads test.
  const data = await loadTrainingData(stringArg(args, 'data', FOOD_KITCHEN_DIR));
  const out = stringArg(args, 'out', join('/tmp', 'haf-runs', `run-${Date.now()}`));
  const command = `npm run train -- ${process.argv.slice(2).join(' ')}`;
  const trained = search ? await trainBySearch(args, data, search) : await trainFixed(args, data, out);
  const scale = await newItemScale(args, trained.model, data);
  const recommender = new HafRecommender(trained.model, data.catalog, { ownsModel: true });
  try {
    const reports = { valid: await evaluate(recommender, data.catalog, data.valid, { split: 'valid' }) };
    console.log(formatReport(reports.valid));
    // The cold-start measure (scripts/cold-start.ts), beside the plain report.
    const newProducts = await newProductReport(trained.model, data.catalog, data.valid, true);
    console.log(formatReport(newProducts));
    const cold = { sampled: newProducts.sampled.overall!['NDCG@10'], full: newProducts.full!.overall!['NDCG@10'] };
    const training = { command, ...trained.training, backend: backend.backend, newItemScale: scale, newProductValidNdcg10: cold };
    const quantization = choiceArg(args, 'quantize', QUANTIZATIONS, 'float32');
    await saveHaf(trained.model, data.catalog, trained.features, fileHandler(out), { quantization, training });
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'report.json'), `${JSON.stringify({ config: trained.model.config, ...trained.training, ...reports, newProducts }, null, 2)}\n`);
    console.log(`saved ${out}`);
  } finally {
    recommender.dispose();
  }
}

/** --new-item-scale S, or the factor chosen on valid (printed, and recorded with every candidate's score). */
async function newItemScale(args: Args, model: HafModel, data: TrainingData): Promise<NewItemScaleChoice | { scale: number; given: true }> {
  if (args['new-item-scale'] !== undefined) {
    const scale = num(args, 'new-item-scale', 1);
    model.setNewItemScale(scale);
    return { scale, given: true };
  }
  const choice = await chooseNewItemScale(model, data.catalog, data.valid);
  const row = (c: NewItemScaleChoice['candidates'][number]): string => `  x${c.scale}: valid ${c.valid.toFixed(4)}, new products ${c.newProducts.toFixed(4)}, score ${c.score.toFixed(4)}`;
  console.log(`new-item scale chosen on valid (${choice.metric}): ${choice.scale}\n${choice.candidates.map(row).join('\n')}`);
  return choice;
}

function modelConfig(args: Args): Partial<HafConfig> {
  return {
    modalityAttention: !args['no-modality-attention'],
    domainAttention: !args['no-domain-attention'],
    idOnly: Boolean(args['id-only']),
    singleDomain: Boolean(args['single-domain']),
    heads: num(args, 'heads', 1),
    blocks: num(args, 'blocks', 2),
  };
}

/** The given recipe (the behaviour before the search existed; every flag's default as before). */
async function trainFixed(args: Args, data: TrainingData, out: string): Promise<Trained> {
  const { catalog } = data;
  const config = resolveConfig({ ...modelConfig(args), dropout: num(args, 'dropout', 0.3), dim: num(args, 'dim', 64) });
  const seed = num(args, 'seed', DEFAULT_TRAIN.seed);
  // --init dir: start from saved weights (their config wins; --epochs 0 just evaluates and re-saves).
  const init = args.init ? await fromWeights(stringArg(args, 'init', ''), catalog, featureFile(args)) : undefined;
  const features: FeatureTable[] = init?.features ?? (config.idOnly ? [] : await startFeatures(args, catalog));
  const itemInit = choiceArg(args, 'item-init', ITEM_INITS, 'random');
  const model = init?.model ?? createHafModel(catalog, { config, features, seed, train: data.train, itemInit });
  // --average a,b: start from the mean of --init's weights and these (same architecture).
  if (args.average) await averageWith(model, stringArg(args, 'average', '').split(',').filter(Boolean), catalog, Boolean(init));
  const negatives = stringArg(args, 'negatives', String(DEFAULT_TRAIN.negatives));
  const options = {
    epochs: num(args, 'epochs', DEFAULT_TRAIN.epochs),
    batchPositions: num(args, 'batch', DEFAULT_TRAIN.batchPositions),
    negatives: negatives === 'full' ? ('full' as const) : Number(negatives),
    learningRate: num(args, 'lr', DEFAULT_TRAIN.learningRate),
    weightDecay: num(args, 'weight-decay', DEFAULT_TRAIN.weightDecay),
    distill: num(args, 'distill', 0),
    idDropout: num(args, 'id-dropout', 0),
    patience: num(args, 'patience', DEFAULT_TRAIN.patience),
    sparseItemAdam: Boolean(args['sparse-item-adam']),
    lrSchedule: choiceArg(args, 'lr-schedule', LR_SCHEDULES, 'constant'),
    lrDecay: num(args, 'lr-decay', 0.5),
    seed,
    ...(args['max-batches'] ? { maxBatchesPerEpoch: num(args, 'max-batches', 0) } : {}),
  };
  console.log(`config ${JSON.stringify(model.config)}; item init ${init ? 'from --init' : itemInit}; train ${JSON.stringify(options)}; features ${features.map((f) => f.encoder).join(',') || 'none'}`);
  try {
    const result = await train(model, { train: data.train, domainItems: catalog.domainItems, domainOf: catalog.domainOf }, {
      ...options,
      validate: epochValidator(args, model, data, features, out),
      onProgress: progressLogger(),
    });
    // Continued or re-saved weights keep the provenance of the run that made them.
    return { model, features, training: { ...options, itemInit: init ? 'from --init' : itemInit, result, ...(init?.training ? { initial: init.training } : {}) } };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** The search's budget in minutes, or undefined for the fixed recipe. */
function searchMode(args: Args): { minutes?: number } | undefined {
  if (args['budget-minutes'] === undefined) return SETTINGS_FLAGS.some((f) => args[f] !== undefined) ? undefined : {};
  const minutes = numberArg(args, 'budget-minutes', 0);
  if (!(minutes > 0)) throw new UsageError(`--budget-minutes must be a positive number of minutes; got "${String(args['budget-minutes'])}"`);
  const clash = NOT_WITH_SEARCH.find((f) => args[f] !== undefined);
  if (clash) throw new UsageError(`--${clash} fixes what the settings search chooses: drop --${clash}, or drop --budget-minutes to run your own recipe`);
  return { minutes };
}

/** Settings the user pinned for the search (--lr, --batch, --negatives, --dropout, --dim, --item-init, --distill, --id-dropout). */
function pinnedSettings(args: Args): Partial<TrainingSettings> {
  const negatives = args.negatives === undefined ? undefined : stringArg(args, 'negatives', '');
  if (negatives !== undefined && negatives !== 'full' && !(Number(negatives) >= 1)) throw new UsageError(`--negatives must be a positive integer or "full"; got "${negatives}"`);
  return {
    ...(args.lr === undefined ? {} : { learningRate: num(args, 'lr', 0) }),
    ...(args.batch === undefined ? {} : { batchPositions: num(args, 'batch', 0) }),
    ...(negatives === undefined ? {} : { negatives: negatives === 'full' ? ('full' as const) : Number(negatives) }),
    ...(args.dropout === undefined ? {} : { dropout: num(args, 'dropout', 0) }),
    ...(args.dim === undefined ? {} : { dim: num(args, 'dim', 0) }),
    ...(args['item-init'] === undefined ? {} : { itemInit: choiceArg(args, 'item-init', ITEM_INITS, 'random') }),
    ...(args.distill === undefined ? {} : { distill: num(args, 'distill', 0) }),
    ...(args['id-dropout'] === undefined ? {} : { idDropout: num(args, 'id-dropout', 0) }),
  };
}

/** Settings chosen on valid within the budget (scripts/train-search.ts). */
async function trainBySearch(args: Args, data: TrainingData, mode: { minutes?: number }): Promise<Trained> {
  const { catalog } = data;
  const initDir = args.init ? stringArg(args, 'init', '') : undefined;
  const first = initDir ? await fromWeights(initDir, catalog, featureFile(args)) : undefined;
  first?.model.dispose();
  const features = first?.features ?? (args['id-only'] ? [] : await startFeatures(args, catalog));
  const positions = trainingPositions(data.train.map((s) => s.items.length), resolveConfig().maxLength);
  const minutes = mode.minutes ?? defaultBudgetMinutes(positions);
  console.log(`settings search on valid, budget ${minutes} min${mode.minutes === undefined ? ' (default for this dataset\'s size)' : ''}`);
  const { model, record } = await searchSettings({
    data,
    features,
    config: modelConfig(args),
    options: {
      seed: num(args, 'seed', DEFAULT_TRAIN.seed),
      weightDecay: num(args, 'weight-decay', DEFAULT_TRAIN.weightDecay),
      sparseItemAdam: Boolean(args['sparse-item-adam']),
      ...(args['max-batches'] ? { maxBatchesPerEpoch: num(args, 'max-batches', 0) } : {}),
    },
    budgetSeconds: minutes * 60,
    pinned: pinnedSettings(args),
    ...(initDir ? { init: async () => (await fromWeights(initDir, catalog, featureFile(args))).model } : {}),
    log: (line) => console.log(line),
  });
  console.log(`search: candidate ${record.winner} won: ${record.reason}`);
  return { model, features, training: { search: record, ...(first?.training ? { initial: first.training } : {}) } };
}

/** Valid sampled NDCG@10 after each epoch of the fixed recipe, with its --save-each-epoch and --eval-each-epoch. */
function epochValidator(args: Args, model: HafModel, data: TrainingData, features: FeatureTable[], out: string): () => Promise<number> {
  let epochsDone = 0;
  return async () => {
    epochsDone += 1;
    // Every epoch's weights, for averaging (--average) or a later choice on valid.
    if (args['save-each-epoch']) await saveHaf(model, data.catalog, features, fileHandler(join(out, `epoch-${epochsDone}`)), { training: { command: `epoch ${epochsDone} of: npm run train -- ${process.argv.slice(2).join(' ')}` } });
    const recommender = new HafRecommender(model, data.catalog, { ownsModel: false });
    try {
      const r = await evaluate(recommender, data.catalog, data.valid, { full: false });
      // The whole valid report (full ranking too) for a learning curve; test stays sealed.
      if (args['eval-each-epoch']) console.log(`EPOCH-REPORT ${JSON.stringify(await evaluate(recommender, data.catalog, data.valid, { split: 'valid' }))}`);
      return r.sampled.overall!['NDCG@10'];
    } finally {
      recommender.dispose();
    }
  };
}

function progressLogger(): (e: TrainProgress) => void {
  let lastLog = 0;
  return (e) => {
    if (e.status === 'epoch') {
      console.log(`epoch ${e.epoch}: lr ${e.learningRate} loss ${e.loss.toFixed(4)} ${e.seconds.toFixed(0)} s ${(e.positions / e.seconds).toFixed(0)} pos/s valid NDCG@10 ${e.valid?.toFixed(4)}${e.best ? ' (best)' : ''}`);
    } else if (performance.now() - lastLog > 30_000) {
      lastLog = performance.now();
      console.log(`  epoch ${e.epoch} batch ${e.batch}/${e.batches} loss ${e.loss.toFixed(4)} ${e.positionsPerSecond.toFixed(0)} pos/s`);
    }
  };
}

const featureFile = (args: Args): string | undefined => (args.features === undefined ? undefined : stringArg(args, 'features', ''));

/** The features a new model trains with: a feature file's tables (CLIP), or lexical text features. */
async function startFeatures(args: Args, catalog: Catalog): Promise<FeatureTable[]> {
  const file = featureFile(args);
  return file ? [...(await readFeatureTables(file, catalog))] : [lexicalFeatures(catalog, num(args, 'text-dim', 256))];
}

async function fromWeights(dir: string, catalog: Catalog, featurePath?: string): Promise<{ model: HafModel; features: FeatureTable[]; training?: Record<string, unknown> }> {
  // Read once: the manifest names the features to build, then the same artifacts build the model.
  const weights = await readHafArtifacts(fileHandler(dir));
  const { manifest } = weights;
  const features = await featureTablesFor(manifest.config.idOnly ? [] : manifest.features, catalog, featurePath);
  const { model } = await loadHaf(weights, catalog, features);
  // Training starts from the weights as trained; the new-item scale is chosen again afterwards.
  model.setNewItemScale(1);
  return { model, features, ...(manifest.training ? { training: manifest.training } : {}) };
}

async function averageWith(model: HafModel, dirs: readonly string[], catalog: Catalog, initialized: boolean): Promise<void> {
  if (!initialized || dirs.length === 0) throw new UsageError('--average needs --init DIR and one or more comma-separated weight folders');
  const others: HafModel[] = [];
  try {
    for (const dir of dirs) others.push((await fromWeights(dir, catalog)).model);
    averageInto(model, others);
    console.log(`averaged the --init weights with ${dirs.join(', ')}`);
  } finally {
    others.forEach((m) => m.dispose());
  }
}

runCli(main, USAGE);
