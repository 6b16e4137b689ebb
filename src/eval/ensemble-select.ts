/**
 * Greedy ensemble selection (Caruana, Niculescu-Mizil, Crew, Ksikes, ICML 2004), with
 * replacement: start from the best single candidate, then repeatedly add the candidate
 * (possibly one already in) whose addition raises the objective most, and stop when none
 * does. The member counts are the ensemble's weights. The objective is a validation score;
 * nothing here sees a test split.
 */

export interface SelectionRound {
  /** Candidate added in this round. */
  readonly member: number;
  /** Objective of the ensemble after the addition. */
  readonly score: number;
}

export interface EnsembleSelection {
  /** How many times each candidate was picked (0 = not in the ensemble). */
  readonly counts: readonly number[];
  readonly rounds: readonly SelectionRound[];
}

/**
 * `objective(counts)` scores an ensemble given by member counts (higher is better).
 * Ties go to the lower candidate index; at most `maxRounds` members are added.
 */
export function selectEnsemble(
  candidates: number,
  objective: (counts: readonly number[]) => number,
  maxRounds = 6,
): EnsembleSelection {
  if (!Number.isInteger(candidates) || candidates < 1) throw new RangeError(`selectEnsemble needs at least one candidate, got ${candidates}`);
  const counts: number[] = new Array<number>(candidates).fill(0);
  const rounds: SelectionRound[] = [];
  let best = Number.NEGATIVE_INFINITY;
  for (let round = 0; round < maxRounds; round++) {
    let pick = -1;
    let pickScore = best;
    for (let k = 0; k < candidates; k++) {
      counts[k]! += 1;
      const score = objective(counts);
      counts[k]! -= 1;
      if (score > pickScore) {
        pick = k;
        pickScore = score;
      }
    }
    if (pick < 0) break;
    counts[pick]! += 1;
    best = pickScore;
    rounds.push({ member: pick, score: pickScore });
  }
  return { counts, rounds };
}

/**
 * Per case, the weighted sum of the members' (already standardized) scores:
 * scores[k][i] is candidate k's score vector for case i.
 */
export function weightedScores(scores: readonly (readonly Float32Array[])[], weights: readonly number[]): Float32Array[] {
  const first = scores[0];
  if (!first || weights.length !== scores.length) throw new RangeError(`weightedScores: ${weights.length} weights for ${scores.length} score sets`);
  return first.map((row, i) => {
    const out = new Float32Array(row.length);
    scores.forEach((member, k) => {
      const w = weights[k]!;
      if (w === 0) return;
      const x = member[i]!;
      for (let j = 0; j < out.length; j++) out[j]! += w * x[j]!;
    });
    return out;
  });
}
