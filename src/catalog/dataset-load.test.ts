import { mkdtemp, readFile, readdir, writeFile, copyFile, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { FOOD_KITCHEN_DIR, loadDataset, loadDatasetCatalog, loadTrainingData } from './dataset-load.ts';
import { fetchDataset } from './dataset-fetch.ts';
import { DatasetFetchError } from './errors.ts';
import { ChecksumError, MissingFileError } from './errors.ts';
import type { Dataset } from './types.ts';

let dataset: Dataset;
beforeAll(async () => {
  dataset = await loadDataset();
});

async function copyDataset(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hafrec-fk-'));
  for (const f of await readdir(FOOD_KITCHEN_DIR)) await copyFile(join(FOOD_KITCHEN_DIR, f), join(dir, f));
  return dir;
}

describe('loadDataset (the real benchmark, a dataset folder)', () => {
  it('loads, verifies and indexes every file', () => {
    const { catalog, train, valid, test } = dataset;
    expect(catalog.size).toBe(36298);
    expect(catalog.domainItems.map((d) => d.length)).toEqual([8661, 27637]);
    expect(catalog.item(8661).domain).toBe('food');
    expect(catalog.item(8662).domain).toBe('kitchen');
    expect([train.length, valid.length, test.length]).toEqual([51164, 960, 937]);
    expect(train.reduce((n, s) => n + s.items.length, 0)).toBe(402268);
    for (const c of [...valid, ...test]) {
      expect(c.negatives.length).toBe(999);
      expect(catalog.domainOf[c.target]).toBe(c.domain);
    }
  });

  it('loads the catalog alone, verified the same way', async () => {
    const catalog = await loadDatasetCatalog(FOOD_KITCHEN_DIR);
    expect(catalog.domains).toEqual(['food', 'kitchen']);
    expect(catalog.items).toEqual(dataset.catalog.items);
  });

  it('rejects bytes that do not match SHA256SUMS', async () => {
    const dir = await copyDataset();
    const plain = gunzipSync(await readFile(join(dir, 'valid.tsv.gz')));
    plain[plain.length - 2] = plain[plain.length - 2] === 0x31 ? 0x32 : 0x31;
    await writeFile(join(dir, 'valid.tsv.gz'), gzipSync(plain));
    await expect(loadDataset(dir)).rejects.toThrow(ChecksumError);
    await expect(loadDataset(dir)).rejects.toThrow(/valid\.tsv: SHA-256/);
  });

  it('loads a folder without SHA256SUMS unverified, and names a missing manifest or file', async () => {
    const dir = await copyDataset();
    await unlink(join(dir, 'SHA256SUMS'));
    expect((await loadDataset(dir)).valid[3]!.negatives).toEqual(dataset.valid[3]!.negatives);
    await unlink(join(dir, 'test_negatives.tsv.gz'));
    await expect(loadDataset(dir)).rejects.toThrow(MissingFileError);
    await expect(loadDataset(dir)).rejects.toThrow(/test_negatives\.tsv\.gz not found: dataset\.json names it as the "test_negatives" file/);
    await unlink(join(dir, 'dataset.json'));
    await expect(loadDataset(dir)).rejects.toThrow(/dataset\.json not found: a dataset folder needs dataset\.json/);
    await expect(loadDataset(join(dir, 'nowhere'))).rejects.toThrow(MissingFileError);
  });
});

describe('loadTrainingData (what npm run train reads)', () => {
  it('never opens the test files: a folder without them loads, verified against SHA256SUMS', async () => {
    const dir = await copyDataset();
    await unlink(join(dir, 'test.tsv.gz'));
    await writeFile(join(dir, 'test_negatives.tsv.gz'), 'not gzip');
    const data = await loadTrainingData(dir);
    expect('test' in data).toBe(false);
    expect([data.train.length, data.valid.length]).toEqual([51164, 960]);
    expect(data.valid[3]!.negatives).toEqual(dataset.valid[3]!.negatives);
    await expect(loadDataset(dir)).rejects.toThrow(MissingFileError);
  });
});

describe('fetchDataset (the same parser over HTTP)', () => {
  const fileFetch = (dir: string): typeof fetch =>
    (async (input: RequestInfo | URL) => {
      const name = String(input).split('/').pop()!;
      try {
        return new Response(await readFile(join(dir, name)));
      } catch {
        return new Response('not found', { status: 404 });
      }
    }) as typeof fetch;

  it('gives the same dataset as the Node loader', async () => {
    const fetched = await fetchDataset('https://shop.example/data/food-kitchen', fileFetch(FOOD_KITCHEN_DIR));
    expect(fetched.catalog.size).toBe(dataset.catalog.size);
    expect(fetched.test[5]!.negatives).toEqual(dataset.test[5]!.negatives);
    expect(fetched.catalog.item(123).title).toBe(dataset.catalog.item(123).title);
  });

  it('loads unverified when SHA256SUMS is absent (404), like the Node loader', async () => {
    const dir = await copyDataset();
    await unlink(join(dir, 'SHA256SUMS'));
    expect((await fetchDataset('/data/', fileFetch(dir))).test[7]!.negatives).toEqual(dataset.test[7]!.negatives);
  });

  it('names the missing file', async () => {
    const dir = await copyDataset();
    await writeFile(join(dir, 'SHA256SUMS'), await readFile(join(FOOD_KITCHEN_DIR, 'SHA256SUMS')));
    await unlink(join(dir, 'test.tsv.gz'));
    await expect(fetchDataset('/data/', fileFetch(dir))).rejects.toThrow(DatasetFetchError);
    await expect(fetchDataset('/data/', fileFetch(dir))).rejects.toThrow(/test\.tsv\.gz: HTTP 404/);
  });
});
