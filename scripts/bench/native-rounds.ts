/**
 * Side-by-side timing: this box's speed drifts 2x between hours (shared cores), so two
 * runtimes timed minutes apart do not compare. Instead every round times each runtime in
 * turn on the same work, and the ratio is taken within a round, where the drift is shared.
 */
import { median } from './render.ts';

/** One runtime's share of a round: runs the round's work, returns milliseconds per call. */
export interface RoundStep {
  readonly name: string;
  run(round: number): Promise<readonly number[]>;
}

/** Per step name, per round, the samples of that round. */
export type RoundSamples = ReadonlyMap<string, readonly (readonly number[])[]>;

/** Runs every step once per round, in the given order, `rounds` times. */
export async function alternateRounds(steps: readonly RoundStep[], rounds: number): Promise<RoundSamples> {
  const out = new Map<string, number[][]>(steps.map((s) => [s.name, []]));
  for (let r = 0; r < rounds; r++) {
    for (const step of steps) out.get(step.name)!.push([...(await step.run(r))]);
  }
  return out;
}

/** The shoppers of round `round`: the next `perRound` of `total`, wrapping around. */
export function roundShoppers(round: number, perRound: number, total: number): number[] {
  return Array.from({ length: Math.min(perRound, total) }, (_, i) => (round * perRound + i) % total);
}

/** Every sample of one step, all rounds together. */
export function allSamples(samples: RoundSamples, name: string): number[] {
  return (samples.get(name) ?? []).flat();
}

/** Per round, median(numerator's samples) / median(denominator's samples). */
export function perRoundRatios(samples: RoundSamples, numerator: string, denominator: string): number[] {
  const top = samples.get(numerator) ?? [];
  const bottom = samples.get(denominator) ?? [];
  if (top.length !== bottom.length) throw new RangeError(`${numerator} ran ${top.length} rounds, ${denominator} ${bottom.length}`);
  return top.map((t, r) => median(t) / median(bottom[r]!));
}

/** Fraction of positions where the two lists of item lists are identical, order included. */
export function identicalFraction(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number {
  if (a.length !== b.length || a.length === 0) throw new RangeError(`cannot compare ${a.length} lists with ${b.length}`);
  const same = a.filter((list, i) => list.length === b[i]!.length && list.every((x, j) => x === b[i]![j])).length;
  return same / a.length;
}

/** Largest |a[i][j] - b[i][j]|: scores compared rank by rank (the same items where the lists agree). */
export function maxRankwiseDifference(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number {
  if (a.length !== b.length) throw new RangeError(`cannot compare ${a.length} score lists with ${b.length}`);
  let worst = 0;
  a.forEach((row, i) => {
    const other = b[i]!;
    if (row.length !== other.length) throw new RangeError(`row ${i}: ${row.length} scores against ${other.length}`);
    row.forEach((x, j) => (worst = Math.max(worst, Math.abs(x - other[j]!))));
  });
  return worst;
}
