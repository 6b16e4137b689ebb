import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { servedFile } from '../../e2e/static-shop-server.ts';

// Beside the benches that mount folders: vitest collects tests under src/ and scripts/ only.
describe('servedFile', () => {
  const mounts = { '/million/': '/tmp/bundle' };

  it('maps a path under a mount into its folder', () => {
    expect(servedFile('dist', mounts, '/million/haf/items.bin')).toBe(join('/tmp/bundle', 'haf/items.bin'));
  });

  it('serves every other path from the root', () => {
    expect(servedFile('dist', mounts, '/embed.js')).toBe(join('dist', '/embed.js'));
    expect(servedFile('dist', mounts, '/millions/x.json')).toBe(join('dist', '/millions/x.json'));
    expect(servedFile('dist', {}, '/million/catalog.json')).toBe(join('dist', '/million/catalog.json'));
  });
});
