import { describe, expect, it } from 'vitest';
import { DataFormatError, UnknownDomainError } from '../catalog/errors.ts';
import { StorageFullError } from '../store/errors.ts';
import { errorCode, HafrecError } from './hafrec-error.ts';
import { fromWire, RemoteError, toWire, type ErrorClasses } from './wire.ts';

const CLASSES: ErrorClasses = { DataFormatError, UnknownDomainError, StorageFullError };

/** What a worker boundary does to the message: a structured clone. */
const hop = (error: unknown): Error => fromWire(structuredClone(toWire(error)), CLASSES);

describe('errors across a worker boundary', () => {
  it('re-creates the same class with its message, code and fields', () => {
    const back = hop(new DataFormatError('items.tsv', 12, 'price "x" is not a number'));
    expect(back).toBeInstanceOf(DataFormatError);
    expect(back).toBeInstanceOf(HafrecError);
    const e = back as DataFormatError;
    expect([e.name, e.message, e.code]).toEqual(['DataFormatError', 'items.tsv:12: price "x" is not a number', 'hafrec/data-format']);
    expect([e.file, e.line, e.problem]).toEqual(['items.tsv', 12, 'price "x" is not a number']);
  });

  it('keeps array fields and the cause chain', () => {
    const back = hop(new StorageFullError('3 events', new UnknownDomainError('toys', ['food', 'kitchen']))) as StorageFullError;
    expect(back).toBeInstanceOf(StorageFullError);
    expect(back.what).toBe('3 events');
    expect(back.cause).toBeInstanceOf(UnknownDomainError);
    expect((back.cause as UnknownDomainError).valid).toEqual(['food', 'kitchen']);
  });

  it('an error of a class the receiver does not know keeps its name and code as a RemoteError', () => {
    const quota = Object.assign(new Error('quota exceeded'), { name: 'QuotaExceededError' });
    const back = hop(quota);
    expect(back).toBeInstanceOf(RemoteError);
    expect([back.name, back.message, (back as RemoteError).code]).toEqual(['QuotaExceededError', 'quota exceeded', 'hafrec/quota-exceeded']);
  });

  it('drops what cannot be cloned and wraps thrown non-errors', () => {
    const error = Object.assign(new DataFormatError('a.tsv', 1, 'bad'), { callback: () => 1, when: new Date(0), nested: { ok: [1, 2] } });
    expect(toWire(error).fields).toEqual({ file: 'a.tsv', line: 1, problem: 'bad', nested: { ok: [1, 2] } });
    const back = hop('plain string');
    expect([back.name, back.message]).toEqual(['Error', 'plain string']);
  });

  it('does not resolve names through the prototype chain of the class table', () => {
    const back = fromWire({ name: 'constructor', message: 'x', code: 'hafrec/constructor', fields: {} }, CLASSES);
    expect(back).toBeInstanceOf(RemoteError);
  });

  it('derives codes from class names', () => {
    expect(errorCode('StorageFullError')).toBe('hafrec/storage-full');
    expect(errorCode('CatalogMismatchError')).toBe('hafrec/catalog-mismatch');
    expect(errorCode('Error')).toBe('hafrec/error');
  });
});
