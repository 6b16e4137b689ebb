import { ConfigError } from './errors.ts';
/** Hyperparameters and ablation switches of the hierarchical attention fusion model. */
export interface HafConfig {
  /** Hidden size d of every tower and encoder. */
  readonly dim: number;
  /** Transformer blocks per view encoder. */
  readonly blocks: number;
  readonly heads: number;
  /** Longest history kept (most recent items). */
  readonly maxLength: number;
  readonly dropout: number;
  /** Level 1: attention over modalities; false = plain mean of the available modalities. */
  readonly modalityAttention: boolean;
  /** Level 3: attention over views; false = the mixed view only (SASRec-like). */
  readonly domainAttention: boolean;
  /** Ignore content features even when given (ID embedding only). */
  readonly idOnly: boolean;
  /** Each target domain sees only its own domain's history (no mixed or other-domain view). */
  readonly singleDomain: boolean;
  /** Hidden size of the attention scorers of Levels 1 and 3. */
  readonly attentionDim: number;
}

export const DEFAULT_CONFIG: HafConfig = {
  dim: 64,
  blocks: 2,
  heads: 1,
  maxLength: 50,
  dropout: 0.3,
  modalityAttention: true,
  domainAttention: true,
  idOnly: false,
  singleDomain: false,
  attentionDim: 32,
};


export function resolveConfig(partial: Partial<HafConfig> = {}): HafConfig {
  const c = { ...DEFAULT_CONFIG, ...partial };
  const positiveInt = (key: keyof HafConfig): void => {
    const v = c[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw new ConfigError(`config.${key} = ${String(v)} is invalid: use a positive integer`);
    }
  };
  (['dim', 'blocks', 'heads', 'maxLength', 'attentionDim'] as const).forEach(positiveInt);
  if (c.dim % c.heads !== 0) {
    throw new ConfigError(`config.dim = ${c.dim} is not divisible by config.heads = ${c.heads}`);
  }
  if (!(c.dropout >= 0 && c.dropout < 1)) {
    throw new ConfigError(`config.dropout = ${c.dropout} is invalid: use a number in [0, 1)`);
  }
  return c;
}
