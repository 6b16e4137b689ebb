import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs, stringArg, UsageError } from './args.ts';
import { machineInfo } from './bench/machine.ts';
import { BENCHMARKS } from './bench/registry.ts';
import { median, spliceGenerated, type BenchRecord } from './bench/render.ts';

const RESULTS = 'bench-results';
const USAGE = `usage: npm run bench -- [--only name[,name]] [--quick] [--list]\nbenchmarks: ${BENCHMARKS.map((b) => b.name).join(', ')}`;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['only', 'quick', 'list', 'help']);
  if (args.help || args.list) {
    console.log(USAGE);
    for (const entry of BENCHMARKS) console.log(`  ${entry.name}: ${(await entry.load()).description}`);
    return;
  }
  const only = args.only ? stringArg(args, 'only', '').split(',') : BENCHMARKS.map((b) => b.name);
  const unknown = only.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length > 0) throw new UsageError(`unknown benchmark(s) ${unknown.join(', ')}`);
  await mkdir(RESULTS, { recursive: true });
  for (const entry of BENCHMARKS.filter((b) => only.includes(b.name))) {
    const bench = await entry.load();
    console.log(`# ${bench.name}`);
    const measurements = await bench.run({ quick: Boolean(args.quick), log: (m) => console.log(`  ${m}`) });
    if (measurements.length === 0) {
      // A benchmark that cannot run here (no GPU) keeps the record measured where it could.
      console.log('  nothing measured here; the previous record is kept');
      continue;
    }
    for (const m of measurements) console.log(`  ${m.name} [${m.backend}]: median ${median(m.samples).toFixed(3)} ${m.unit}`);
    const record: BenchRecord = { benchmark: bench.name, description: bench.description, date: new Date().toISOString().slice(0, 10), machine: machineInfo(), measurements };
    await writeFile(join(RESULTS, `${bench.name}.json`), `${JSON.stringify(record, null, 2)}\n`);
  }
  await renderAll();
}

/** BENCHMARKS.md's generated block shows the latest record of every benchmark ever run. */
async function renderAll(): Promise<void> {
  const files = (await readdir(RESULTS)).filter((f) => f.endsWith('.json')).sort();
  const records = await Promise.all(files.map(async (f) => JSON.parse(await readFile(join(RESULTS, f), 'utf8')) as BenchRecord));
  const current = await readFile('BENCHMARKS.md', 'utf8').catch(() => '# Benchmarks\n');
  await writeFile('BENCHMARKS.md', spliceGenerated(current, records));
  console.log('updated BENCHMARKS.md');
}

main().catch((error: unknown) => {
  console.error(error instanceof UsageError ? `${error.message}\n${USAGE}` : error);
  process.exit(error instanceof UsageError ? 2 : 1);
});
