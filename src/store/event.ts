import { InvalidEventError } from './errors.ts';

/** Interaction kinds the store accepts; every kind is about one catalog item. */
export const EVENT_TYPES = [
  'view',
  'click',
  'add_to_cart',
  'remove_from_cart',
  'wishlist',
  'purchase',
  'rate',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** JSON-safe extra data attached to an event (price, quantity, rating, list name...). */
export type EventProps = Readonly<Record<string, string | number | boolean | null>>;

/**
 * What a page passes to track(). `ts` defaults to now (ms since epoch). `id` is an idempotency
 * key: an event whose id is already stored is not stored again (one is generated when absent).
 */
export interface EventInput {
  readonly id?: string;
  readonly type: EventType;
  readonly itemId: string | number;
  readonly domain: string;
  readonly ts?: number;
  readonly props?: EventProps;
}

/**
 * A validated event as stored; `seq` is the store's insertion number (absent before storing).
 * `id` is unique per stored event; events written before schema v3 have none.
 */
export interface HistoryEvent {
  readonly seq?: number;
  readonly id?: string;
  readonly type: EventType;
  readonly itemId: string;
  readonly domain: string;
  readonly ts: number;
  readonly props?: EventProps;
}

export const MAX_ID_LENGTH = 256;
export const MAX_DOMAIN_LENGTH = 64;
export const MAX_PROPS_BYTES = 2048;
/** A clock may run ahead a little; an event dated later than this is a bug, not a future purchase. */
export const MAX_FUTURE_MS = 24 * 3600 * 1000;
const EVENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Keys that would set or shadow an object's prototype instead of becoming data. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const KNOWN_FIELDS = new Set(['id', 'type', 'itemId', 'domain', 'ts', 'props']);

/** Validates untrusted input (pages call track() with anything) into a HistoryEvent. */
export function validateEvent(input: unknown, now: number = Date.now()): HistoryEvent {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidEventError('event', 'must be an object like {type, itemId, domain, ts?, props?}');
  }
  const raw = input as Record<string, unknown>;
  const unknown = Object.keys(raw).filter((k) => !KNOWN_FIELDS.has(k));
  if (unknown.length > 0) {
    throw new InvalidEventError(unknown[0]!, `is not a known field; valid fields are ${[...KNOWN_FIELDS].join(', ')}`);
  }
  const event: HistoryEvent = {
    ...(raw.id === undefined ? {} : { id: validateId(raw.id) }),
    type: validateType(raw.type),
    itemId: validateItemId(raw.itemId),
    domain: validateText('domain', raw.domain, MAX_DOMAIN_LENGTH),
    ts: validateTs(raw.ts, now),
  };
  return raw.props === undefined ? event : { ...event, props: validateProps(raw.props) };
}

function validateId(id: unknown): string {
  if (typeof id === 'string' && EVENT_ID.test(id)) return id;
  throw new InvalidEventError('id', `must be 1-64 characters of A-Z, a-z, 0-9, "_" or "-" (got ${JSON.stringify(id)})`);
}

function validateItemId(itemId: unknown): string {
  if (typeof itemId === 'number' && !Number.isFinite(itemId)) {
    throw new InvalidEventError('itemId', `must be a non-empty string or a finite number (got ${String(itemId)})`);
  }
  return validateText('itemId', typeof itemId === 'number' ? String(itemId) : itemId, MAX_ID_LENGTH);
}

function validateType(type: unknown): EventType {
  if (typeof type === 'string' && (EVENT_TYPES as readonly string[]).includes(type)) return type as EventType;
  throw new InvalidEventError('type', `must be one of ${EVENT_TYPES.join(', ')} (got ${JSON.stringify(type)})`);
}

function validateText(field: string, value: unknown, max: number): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidEventError(field, 'must be a non-empty string' + (field === 'itemId' ? ' or a number' : ''));
  }
  if (value.length > max) throw new InvalidEventError(field, `must be at most ${max} characters`);
  return value.trim();
}

function validateTs(ts: unknown, now: number): number {
  if (ts === undefined) return now;
  if (typeof ts !== 'number' || !Number.isFinite(ts) || ts <= 0) {
    throw new InvalidEventError('ts', 'must be a positive finite number of milliseconds since 1970 (Date.now())');
  }
  if (ts > now + MAX_FUTURE_MS) {
    throw new InvalidEventError('ts', `must not be more than 24 hours ahead of now (${new Date(now).toISOString()}; got ${ts})`);
  }
  return ts;
}

function validateProps(props: unknown): EventProps {
  if (typeof props !== 'object' || props === null || Array.isArray(props)) {
    throw new InvalidEventError('props', 'must be a plain object when present');
  }
  const out: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(props)) {
    if (RESERVED_KEYS.has(key)) {
      throw new InvalidEventError(`props.${key}`, `is a reserved name; use any key but ${[...RESERVED_KEYS].join(', ')}`);
    }
    const ok =
      value === null || typeof value === 'string' || typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value));
    if (!ok) throw new InvalidEventError(`props.${key}`, 'must be a string, finite number, boolean or null');
    out[key] = value as string | number | boolean | null;
  }
  if (JSON.stringify(out).length > MAX_PROPS_BYTES) {
    throw new InvalidEventError('props', `must serialize to at most ${MAX_PROPS_BYTES} characters of JSON`);
  }
  return out;
}
