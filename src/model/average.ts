/**
 * Weight averaging ("model soup", Wortsman et al. 2022): the uniform mean of the parameters
 * of models fine-tuned from the same starting point is one model, with the latency and size
 * of one, that often ranks better than each of them. Only models of the same architecture
 * average: same config, same variables, same shapes.
 */
import * as tf from '@tensorflow/tfjs';
import { WeightsFormatError } from './errors.ts';
import type { HafModel } from './model.ts';

/** Replaces `model`'s parameters by the mean over `model` and `others` (which are left as they are). */
export function averageInto(model: HafModel, others: readonly HafModel[]): void {
  for (const other of others) checkSameArchitecture(model, other);
  const count = others.length + 1;
  for (const [name, variable] of model.params) {
    const mean = tf.tidy(() => tf.div(tf.addN([variable, ...others.map((o) => o.params.get(name)!)]), count));
    variable.assign(mean);
    mean.dispose();
  }
}

function checkSameArchitecture(model: HafModel, other: HafModel): void {
  const config = JSON.stringify(model.config);
  const otherConfig = JSON.stringify(other.config);
  if (config !== otherConfig) {
    throw new WeightsFormatError(`cannot average models of different configs: ${config} and ${otherConfig}`);
  }
  for (const [name, variable] of model.params) {
    const shape = other.params.get(name)?.shape;
    if (!shape || !tf.util.arraysEqual(shape, variable.shape)) {
      throw new WeightsFormatError(`cannot average: parameter ${name} is [${variable.shape.join(', ')}] in one model and ${shape ? `[${shape.join(', ')}]` : 'missing'} in the other`);
    }
  }
}
