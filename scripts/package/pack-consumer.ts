/**
 * Packs hafrec as npm would publish it and installs it in a fresh Vite app (a copy of
 * scripts/package/consumer/ with the fixture shop's files in its public/shop/): what
 * e2e/package.spec.ts type-checks, imports in Node, builds with the app's own Vite and opens.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
/** The shop the app's engine loads: the fixture shop's catalog and HAF bundle. */
const SHOP_FILES = ['catalog.json', 'model.json', 'prior.bin', 'haf'];

export interface PackedApp {
  /** The app's folder (package.json, node_modules/hafrec, dist/ once built). */
  readonly dir: string;
  readonly tarball: string;
  /** What `npm pack` reported: the tarball's size and its number of files. */
  readonly size: number;
  readonly files: number;
}

const npm = (args: readonly string[], cwd: string): string =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

function versionOf(name: string): string {
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Builds lib/, runs `npm pack`, then `npm install` of the tarball in a new app folder. */
export function packIntoFreshApp(): PackedApp {
  const work = mkdtempSync(join(tmpdir(), 'hafrec-pack-'));
  execFileSync('npm', ['run', '--silent', 'build:lib'], { cwd: ROOT, stdio: 'inherit' });
  // --ignore-scripts: prepack would build lib/ again, and its output would mix with the JSON.
  const [packed] = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', work], ROOT)) as { filename: string; size: number; entryCount: number }[];
  const dir = join(work, 'app');
  cpSync(join(ROOT, 'scripts/package/consumer'), dir, { recursive: true });
  for (const file of SHOP_FILES) cpSync(join(ROOT, 'public/shop', file), join(dir, 'public/shop', file), { recursive: true });
  const manifest = {
    name: 'hafrec-consumer',
    private: true,
    type: 'module',
    dependencies: { hafrec: `file:../${packed!.filename}` },
    devDependencies: { typescript: versionOf('typescript'), vite: versionOf('vite') },
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // The packages are in npm's cache from the repo's own install: no download when it is warm.
  npm(['install', '--prefer-offline'], dir);
  return { dir, tarball: join(work, packed!.filename), size: packed!.size, files: packed!.entryCount };
}

/** Runs a package binary of the app (tsc, vite) with Node. */
export function appBin(app: PackedApp, bin: string, args: readonly string[]): string {
  const scripts: Record<string, string> = { tsc: 'typescript/bin/tsc', vite: 'vite/bin/vite.js' };
  return execFileSync(process.execPath, [join(app.dir, 'node_modules', scripts[bin]!), ...args], { cwd: app.dir, encoding: 'utf8' });
}
