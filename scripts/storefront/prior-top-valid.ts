/**
 * How many transitions per item the bundle's prior must keep, measured on VALID only: the
 * prior alone (as prior.bin stores it, float16 weights) for each cut, on a seeded sample of the
 * dataset's valid shoppers, with the gzip -9 size of prior.bin.
 * Usage: npx tsx scripts/storefront/prior-top-valid.ts --data DIR [--tops 0,5,10,20,50] [--sample 10000]
 */
import { gzipSync } from 'node:zlib';
import { loadDataset } from '../../src/catalog/dataset-load.ts';
import { countTransitions, createCooccurrence, DEFAULT_COOCCURRENCE } from '../../src/eval/baselines/cooccurrence.ts';
import { countOccurrences } from '../../src/eval/baselines/popularity.ts';
import { evaluate } from '../../src/eval/evaluate.ts';
import { sampleCases } from '../../src/bundle/valid-sample.ts';
import { cutTable, decodePrior, encodePrior } from '../../src/engine/prior-binary.ts';
import { parseArgs, stringArg } from '../args.ts';
import { runCli } from '../cli.ts';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['data', 'tops', 'sample']);
  const dataset = await loadDataset(stringArg(args, 'data', ''));
  const valid = sampleCases(dataset.valid, Number(stringArg(args, 'sample', '10000')));
  const table = countTransitions(dataset.catalog.size, dataset.train, DEFAULT_COOCCURRENCE);
  const counts = countOccurrences(dataset.catalog, dataset.train);
  console.log(`valid: ${valid.length} of ${dataset.valid.length} shoppers; full table ${table.targets.length} transitions`);
  for (const top of stringArg(args, 'tops', '0,5,10,20,50').split(',').map(Number)) {
    const bytes = encodePrior(cutTable(table, top), counts, { params: DEFAULT_COOCCURRENCE, top });
    const prior = decodePrior(bytes.slice().buffer, 'prior.bin');
    const popularity = Float64Array.from(prior.popularity);
    const report = await evaluate(createCooccurrence(dataset.catalog, prior.table, popularity, prior.header.params), dataset.catalog, valid, { split: 'valid' });
    const f = (x: number | undefined) => (x ?? NaN).toFixed(4);
    console.log(`top ${top || 'all'}: ${prior.header.edges} transitions, ${bytes.length} B raw, ${gzipSync(bytes, { level: 9 }).length} B gzip -9; valid NDCG@10 sampled ${f(report.sampled.overall!['NDCG@10'])} full ${f(report.full!.overall!['NDCG@10'])}`);
  }
}

runCli(main, 'usage: npx tsx scripts/storefront/prior-top-valid.ts --data DIR [--tops 0,5,10,20,50] [--sample 10000]');
