import { writeBundle, BLEND_GRID } from '../src/bundle/bundle-write.ts';
import { tagSnippet } from '../src/bundle/bundle-snippet.ts';
import { clipCheckpointOf } from '../src/engine/haf-bundle-file.ts';
import { QUANTIZATIONS } from '../src/model/quantize.ts';
import { choiceArg, parseArgs, stringArg, UsageError } from './args.ts';
import { runCli } from './cli.ts';

const USAGE = `usage: npm run bundle -- --data DIR --weights WDIR --out SITE [--features FILE] (the feature file, npm run embed, of weights trained with CLIP features) [--quantize ${QUANTIZATIONS.join('|')}] (default float16) [--grid ${BLEND_GRID.join(',')}] [--prior-top N] (transitions kept per item in prior.bin; default all) [--valid-sample N] (choose on N seeded valid shoppers; default all) [--base /hafrec/] (URL path the shop serves SITE from, for the printed tag)`;

function gridArg(raw: string | undefined): number[] | undefined {
  if (raw === undefined) return undefined;
  const grid = raw.split(',').map(Number);
  if (grid.length === 0 || grid.some((w) => !Number.isFinite(w) || w < 0)) throw new UsageError(`--grid needs comma-separated numbers >= 0; got "${raw}"`);
  return grid;
}

function countArg(args: Record<string, unknown>, key: string): number {
  const raw = args[key];
  if (raw === undefined) return 0;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${key} must be an integer >= 1; got "${String(raw)}"`);
  return n;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['data', 'weights', 'out', 'features', 'quantize', 'grid', 'prior-top', 'valid-sample', 'base', 'help']);
  if (args.help) return void console.log(USAGE);
  for (const key of ['data', 'weights', 'out']) if (args[key] === undefined) throw new UsageError(`--${key} is required`);
  const grid = gridArg(args.grid === undefined ? undefined : stringArg(args, 'grid', ''));
  const summary = await writeBundle({
    data: stringArg(args, 'data', ''),
    weights: stringArg(args, 'weights', ''),
    out: stringArg(args, 'out', ''),
    ...(args.features === undefined ? {} : { features: stringArg(args, 'features', '') }),
    quantization: choiceArg(args, 'quantize', QUANTIZATIONS, 'float16'),
    ...(grid ? { grid } : {}),
    priorTop: countArg(args, 'prior-top'),
    ...(args['valid-sample'] === undefined ? {} : { validSample: countArg(args, 'valid-sample') }),
    log: (line) => console.log(line),
  });
  const { blend } = summary.file;
  console.log('valid NDCG@10 (sampled / full) per blend weight:');
  for (const c of blend.candidates) console.log(`  ${c.weight === null ? 'prior alone' : `w = ${c.weight}`}: ${c.sampledNdcg10.toFixed(4)} / ${(c.fullNdcg10 ?? NaN).toFixed(4)}`);
  console.log(blend.serves === 'prior'
    ? 'serves: the co-occurrence prior ALONE (every HAF blend scored below it on valid); tfjs is never loaded'
    : `serves: HAF + ${blend.weight} x prior (chosen on valid)`);
  for (const f of summary.files) console.log(`  ${f.path}: ${f.bytes} bytes`);
  console.log(`took ${Object.entries(summary.seconds).map(([k, s]) => `${k} ${s.toFixed(1)} s`).join(', ')}`);
  console.log(`\nPaste on every page (copy embed.js, embed-worker.js and embed-chunks/ from dist/, or from node_modules/hafrec/lib/embed/, next to the bundle files):\n${tagSnippet(stringArg(args, 'base', '/hafrec/'), summary.file.ids.length > 0 ? firstDomain(summary) : 'DOMAIN', clipCheckpointOf(summary.file))}`);
}

function firstDomain(summary: Awaited<ReturnType<typeof writeBundle>>): string {
  return Object.keys(summary.grid[0]?.sampled ?? {}).find((d) => d !== 'overall') ?? 'DOMAIN';
}

runCli(main, USAGE);
