import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HafrecError } from '../errors/hafrec-error.ts';
import { ERROR_CLASSES } from './error-classes.ts';

const SRC = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every `class X extends ...Error` in src, with the `name` literal it declares. */
function errorClasses(): { file: string; cls: string; name: string | undefined }[] {
  return sources(SRC).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/class (\w+) extends (\w*Error)\b[^{]*\{([^]*?)\n\}/g)].map((m) => ({
      file: file.slice(SRC.length + 1),
      cls: m[1]!,
      name: /readonly name(?:: string)? = '(\w+)'/.exec(m[3]!)?.[1],
    })),
  );
}

describe('error classes', () => {
  const found = errorClasses().filter((c) => c.cls !== 'RemoteError');

  it('every error class in src is under HafrecError and can cross a worker boundary', () => {
    expect(found.length).toBeGreaterThan(30);
    const missing = found.filter((c) => c.file !== 'storefront/errors.ts' && !(c.cls in ERROR_CLASSES)).map((c) => `${c.file}: ${c.cls}`);
    expect(missing).toEqual([]);
    for (const [key, cls] of Object.entries(ERROR_CLASSES)) expect(cls.prototype instanceof HafrecError || cls === HafrecError, key).toBe(true);
  });

  it('each declares a name literal equal to its class name (minifiers rename classes, not strings)', () => {
    expect(found.filter((c) => c.name !== c.cls).map((c) => `${c.file}: ${c.cls} has name ${String(c.name)}`)).toEqual([]);
  });

  it('src throws no untyped Error', () => {
    const bare = sources(SRC).filter((file) => /\bnew Error\(/.test(readFileSync(file, 'utf8')));
    expect(bare.map((f) => f.slice(SRC.length + 1))).toEqual([]);
  });
});
