import { describe, expect, it } from 'vitest';
import { MAX_FUTURE_MS, validateEvent } from './event.ts';
import { InvalidEventError } from './errors.ts';

const NOW = 1_700_000_000_000;
const view = { type: 'view', domain: 'food' };
const rejects = (input: unknown): string => {
  try {
    validateEvent(input, NOW);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEventError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
};

describe('validateEvent against hostile input', () => {
  it('refuses non-finite numeric item ids instead of storing "NaN" or "Infinity"', () => {
    expect(rejects({ ...view, itemId: NaN })).toMatch(/"itemId" must be a non-empty string or a finite number \(got NaN\)/);
    expect(rejects({ ...view, itemId: Infinity })).toMatch(/\(got Infinity\)/);
    expect(rejects({ ...view, itemId: -Infinity })).toMatch(/\(got -Infinity\)/);
    expect(validateEvent({ ...view, itemId: 42 }, NOW).itemId).toBe('42');
  });

  it('refuses prototype keys in props instead of dropping them silently', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      expect(rejects({ ...view, itemId: 1, props: JSON.parse(`{"${key}": 1}`) })).toMatch(new RegExp(`"props.${key}" is a reserved name`));
    }
    expect(validateEvent({ ...view, itemId: 1, props: { proto: 1 } }, NOW).props).toEqual({ proto: 1 });
  });

  it('bounds ts: at most a day ahead of now', () => {
    expect(rejects({ ...view, itemId: 1, ts: 1e300 })).toMatch(/"ts" must not be more than 24 hours ahead of now/);
    expect(rejects({ ...view, itemId: 1, ts: NOW + MAX_FUTURE_MS + 1 })).toMatch(/24 hours ahead/);
    expect(validateEvent({ ...view, itemId: 1, ts: NOW + MAX_FUTURE_MS }, NOW).ts).toBe(NOW + MAX_FUTURE_MS);
  });

  it('takes an id (idempotency key) of 1-64 URL-safe characters', () => {
    expect(validateEvent({ ...view, itemId: 1, id: 'a-Z_9' }, NOW).id).toBe('a-Z_9');
    for (const id of ['', 'a b', 'x'.repeat(65), 7, null]) {
      expect(rejects({ ...view, itemId: 1, id })).toMatch(/"id" must be 1-64 characters/);
    }
  });
});
