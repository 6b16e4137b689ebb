/**
 * npm run train -- --dataset food-kitchen [--no-modality-attention] [--no-domain-attention]
 *   [--id-only] [--single-domain] [--epochs N] [--out dir] [--negatives N|full] [--lr X]
 *   [--batch N] [--dropout X] [--weight-decay X] [--seed N] [--patience N] [--quantize q]
 *   [--sparse-item-adam] [--backend wasm|webgpu|cpu|auto]
 * Trains HAF on the Node wasm backend, selects the epoch on VALID sampled NDCG@10, then
 * reports valid (sampled + full ranking) and saves weights + manifest to --out. Test is
 * never evaluated here (it stays sealed for npm run eval at the end).
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadFoodKitchen } from '../src/catalog/food-kitchen.ts';
import type { FeatureTable } from '../src/catalog/features.ts';
import { evaluate } from '../src/eval/evaluate.ts';
import { formatReport } from '../src/eval/report-table.ts';
import { resolveConfig } from '../src/model/config.ts';
import { averageInto } from '../src/model/average.ts';
import { createHafModel } from '../src/model/create.ts';
import { fileHandler, selectNodeBackend } from '../src/model/node.ts';
import { QUANTIZATIONS } from '../src/model/quantize.ts';
import { HafRecommender } from '../src/model/recommender.ts';
import { train, DEFAULT_TRAIN, LR_SCHEDULES } from '../src/model/trainer.ts';
import { choiceArg, parseArgs, stringArg, UsageError, type Args } from './args.ts';
import type { Catalog } from '../src/catalog/types.ts';
import { parseManifest } from '../src/model/manifest.ts';
import type { HafModel } from '../src/model/model.ts';
import { loadHaf, saveHaf } from '../src/model/weights-io.ts';
import { featuresForManifest, lexicalFeatures } from './haf-setup.ts';

const FLAGS = [
  'dataset', 'data', 'out', 'epochs', 'negatives', 'lr', 'batch', 'dropout', 'weight-decay', 'seed', 'patience',
  'no-modality-attention', 'no-domain-attention', 'id-only', 'single-domain', 'heads', 'blocks', 'dim',
  'max-batches', 'quantize', 'backend', 'text-dim', 'eval-each-epoch', 'init', 'sparse-item-adam', 'lr-schedule',
  'lr-decay', 'average', 'save-each-epoch', 'help',
] as const;
const USAGE = `usage: npm run train -- --dataset food-kitchen [${FLAGS.filter((f) => f !== 'dataset').map((f) => `--${f}`).join('] [')}]`;

const num = (args: Args, key: string, fallback: number): number => {
  const v = Number(stringArg(args, key, String(fallback)));
  if (!Number.isFinite(v)) throw new UsageError(`--${key} must be a number`);
  return v;
};

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), FLAGS);
  if (args.help) return void console.log(USAGE);
  choiceArg(args, 'dataset', ['food-kitchen'], 'food-kitchen');
  const backend = await selectNodeBackend(choiceArg(args, 'backend', ['wasm', 'webgpu', 'cpu', 'auto'] as const, 'wasm'));
  const dataset = await loadFoodKitchen(stringArg(args, 'data', 'public/data/food-kitchen'));
  const { catalog } = dataset;
  const config = resolveConfig({
    modalityAttention: !args['no-modality-attention'],
    domainAttention: !args['no-domain-attention'],
    idOnly: Boolean(args['id-only']),
    singleDomain: Boolean(args['single-domain']),
    dropout: num(args, 'dropout', 0.3),
    heads: num(args, 'heads', 1),
    blocks: num(args, 'blocks', 2),
    dim: num(args, 'dim', 64),
  });
  const seed = num(args, 'seed', DEFAULT_TRAIN.seed);
  // --init dir: start from saved weights (their config wins; --epochs 0 just evaluates and re-saves).
  const init = args.init ? await fromWeights(stringArg(args, 'init', ''), catalog) : undefined;
  const features: FeatureTable[] = init?.features ?? (config.idOnly ? [] : [lexicalFeatures(catalog, num(args, 'text-dim', 256))]);
  const model = init?.model ?? createHafModel(catalog, { config, features, seed, train: dataset.train });
  // --average a,b: start from the mean of --init's weights and these (same architecture).
  if (args.average) await averageWith(model, stringArg(args, 'average', '').split(',').filter(Boolean), catalog, Boolean(init));
  const recommender = new HafRecommender(model, catalog, { ownsModel: true });
  const negatives = stringArg(args, 'negatives', String(DEFAULT_TRAIN.negatives));
  const options = {
    epochs: num(args, 'epochs', DEFAULT_TRAIN.epochs),
    batchPositions: num(args, 'batch', DEFAULT_TRAIN.batchPositions),
    negatives: negatives === 'full' ? ('full' as const) : Number(negatives),
    learningRate: num(args, 'lr', DEFAULT_TRAIN.learningRate),
    weightDecay: num(args, 'weight-decay', DEFAULT_TRAIN.weightDecay),
    patience: num(args, 'patience', DEFAULT_TRAIN.patience),
    sparseItemAdam: Boolean(args['sparse-item-adam']),
    lrSchedule: choiceArg(args, 'lr-schedule', LR_SCHEDULES, 'constant'),
    lrDecay: num(args, 'lr-decay', 0.5),
    seed,
    ...(args['max-batches'] ? { maxBatchesPerEpoch: num(args, 'max-batches', 0) } : {}),
  };
  console.log(`backend ${backend.backend}; config ${JSON.stringify(model.config)}; train ${JSON.stringify(options)}; features ${features.map((f) => f.encoder).join(',') || 'none'}`);
  let lastLog = 0;
  let epochsDone = 0;
  const out = stringArg(args, 'out', join('/tmp', 'haf-runs', `run-${Date.now()}`));
  try {
    const result = await train(model, { train: dataset.train, domainItems: catalog.domainItems, domainOf: catalog.domainOf }, {
      ...options,
      validate: async () => {
        epochsDone += 1;
        // Every epoch's weights, for averaging (--average) or a later choice on valid.
        if (args['save-each-epoch']) await saveHaf(model, catalog, features, fileHandler(join(out, `epoch-${epochsDone}`)), { training: { command: `epoch ${epochsDone} of: npm run train -- ${process.argv.slice(2).join(' ')}` } });
        recommender.invalidate();
        const r = await evaluate(recommender, catalog, dataset.valid, { full: false });
        if (args['eval-each-epoch']) {
          // Logged for the learning curve only (valid; test stays sealed); selection uses sampled valid alone.
          console.log(`EPOCH-REPORT ${JSON.stringify(await evaluate(recommender, catalog, dataset.valid, { split: 'valid' }))}`);
        }
        return r.sampled.overall!['NDCG@10'];
      },
      onProgress: (e) => {
        if (e.status === 'epoch') {
          console.log(`epoch ${e.epoch}: lr ${e.learningRate} loss ${e.loss.toFixed(4)} ${e.seconds.toFixed(0)} s ${(e.positions / e.seconds).toFixed(0)} pos/s valid NDCG@10 ${e.valid?.toFixed(4)}${e.best ? ' (best)' : ''}`);
        } else if (performance.now() - lastLog > 30_000) {
          lastLog = performance.now();
          console.log(`  epoch ${e.epoch} batch ${e.batch}/${e.batches} loss ${e.loss.toFixed(4)} ${e.positionsPerSecond.toFixed(0)} pos/s`);
        }
      },
    });
    recommender.invalidate();
    const reports = { valid: await evaluate(recommender, catalog, dataset.valid, { split: 'valid' }) };
    console.log(formatReport(reports.valid));
    const quantization = choiceArg(args, 'quantize', QUANTIZATIONS, 'float32');
    await saveHaf(model, catalog, features, fileHandler(out), {
      quantization,
      training: {
        command: `npm run train -- ${process.argv.slice(2).join(' ')}`,
        ...options,
        result,
        backend: backend.backend,
        // Continued or re-saved weights keep the provenance of the run that made them.
        ...(init?.training ? { initial: init.training } : {}),
      },
    });
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'report.json'), `${JSON.stringify({ config: model.config, options, result, ...reports }, null, 2)}\n`);
    console.log(`saved ${out}`);
  } finally {
    recommender.dispose();
  }
}

async function fromWeights(dir: string, catalog: Catalog): Promise<{ model: HafModel; features: FeatureTable[]; training?: Record<string, unknown> }> {
  const handler = fileHandler(dir);
  const artifacts = await handler.load!();
  const manifest = parseManifest((artifacts.userDefinedMetadata as { hafrec?: unknown } | undefined)?.hafrec);
  const features = featuresForManifest(catalog, manifest);
  return { model: (await loadHaf(handler, catalog, features)).model, features, ...(manifest.training ? { training: manifest.training } : {}) };
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

main().catch((error: unknown) => {
  console.error(error instanceof UsageError ? `${error.message}\n${USAGE}` : error);
  process.exit(error instanceof UsageError ? 2 : 1);
});
