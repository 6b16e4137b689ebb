/**
 * The one interface evaluation (and the app) sees models through. Item numbers are
 * internal catalog indices (1-based; 0 is padding). Scores: higher is better.
 */
export interface ScoreRequest {
  /** Oldest first, internal indices, no padding. */
  readonly history: Int32Array;
  /** Domain number of the target. */
  readonly domain: number;
  /** Candidates to score; omitted = every item of the domain, in catalog.domainItems order. */
  readonly candidates?: Int32Array;
}

export interface Recommendation {
  readonly item: number;
  readonly score: number;
}

export interface Recommender {
  readonly name: string;
  /** One score vector per request, aligned with its candidates (or its domain's items). */
  score(requests: readonly ScoreRequest[]): Promise<Float32Array[]>;
  /** The k best items of a domain for a history, best first; `exclude` items never appear. */
  recommend(
    history: Int32Array,
    domain: number,
    k: number,
    exclude?: ReadonlySet<number>,
  ): Promise<Recommendation[]>;
  /** Frees tensors or other resources; idempotent. */
  dispose(): void;
}
