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
  /**
   * Factor on the item vector of every item the weights have no trained row for (a new
   * product, described by its content alone). Training leaves it at 1; `npm run train`
   * chooses it afterwards on valid with the cold-start measure, because how long such
   * vectors come out against trained rows is an accident of training, not something learnt.
   */
  readonly newItemScale: number;
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
  newItemScale: 1,
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
  if (!(typeof c.newItemScale === 'number' && c.newItemScale > 0 && Number.isFinite(c.newItemScale))) {
    throw new ConfigError(`config.newItemScale = ${String(c.newItemScale)} is invalid: use a positive number (1 = as trained)`);
  }
  return c;
}
