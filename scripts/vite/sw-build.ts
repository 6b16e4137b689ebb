import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { Plugin } from 'vite';

/**
 * Files the offline cache leaves out: source maps, e2e pages, the worker itself and the
 * storefront fixture shops (`shop/`, ~10 MB for the 36,298-item HAF shop, and `shop-cooc/`),
 * which are not part of the demo app.
 */
export function precached(path: string): boolean {
  return !path.endsWith('.map') && !path.startsWith('e2e/') && !/^shop(-cooc)?\//.test(path) && path !== 'sw.js' && !path.endsWith('/.gitkeep');
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/** The precache manifest of a built folder: every file and a hash of all their bytes. */
export async function precacheManifest(outDir: string): Promise<{ version: string; files: string[] }> {
  const files = (await listFiles(outDir)).filter(precached);
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file).update('\0').update(await readFile(join(outDir, file)));
  }
  return { version: hash.digest('hex').slice(0, 16), files };
}

/**
 * Vite plugin: after the build is written, emits `sw.js` (from sw-template.js) with the
 * precache manifest inlined, so a new build always installs a new service worker.
 */
export function demoServiceWorker(): Plugin {
  let outDir = 'dist';
  return {
    name: 'hafrec-demo-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const manifest = await precacheManifest(outDir);
      const template = await readFile(new URL('./sw-template.js', import.meta.url), 'utf8');
      const source = template.replace('self.__HAFREC_PRECACHE__', JSON.stringify(manifest));
      await writeFile(join(outDir, 'sw.js'), source);
    },
  };
}
