/**
 * TensorFlow.js, loaded on its first use rather than on import. Importing it
 * costs about 0.7 s of CPU, and most modules that use it (families,
 * optimisers) are also imported by commands that never run a tensor: `check`
 * evaluates witnesses in float64, `list` only reads their names. `tf` behaves as
 * `import * as tf from '@tensorflow/tfjs'` (values and types); the package is
 * required synchronously the first time one of its members is read.
 */
import type * as TF from '@tensorflow/tfjs';
import { createRequire } from 'node:module';

let loaded: typeof TF | undefined;
const load = (): typeof TF => (loaded ??= createRequire(import.meta.url)('@tensorflow/tfjs') as typeof TF);

/** True once TensorFlow.js has been loaded in this process. */
export const tfLoaded = (): boolean => loaded !== undefined;

const tf: typeof TF = new Proxy({} as typeof TF, {
  get: (_target, key) => (load() as unknown as Record<PropertyKey, unknown>)[key],
  has: (_target, key) => key in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_target, key) => {
    const d = Reflect.getOwnPropertyDescriptor(load(), key);
    return d && { ...d, configurable: true };
  },
});

// The types of the package under the same name, as `import * as tf` gives them.
declare namespace tf {
  export type Rank = TF.Rank;
  /** `tf.Rank.R2` as a type (the enum's members are not reachable through a type alias). */
  export type Rank2 = TF.Rank.R2;
  export type Tensor<R extends TF.Rank = TF.Rank> = TF.Tensor<R>;
  export type Scalar = TF.Scalar;
  export type Tensor1D = TF.Tensor1D;
  export type Tensor2D = TF.Tensor2D;
  export type Tensor3D = TF.Tensor3D;
  export type Tensor4D = TF.Tensor4D;
  export type Variable<R extends TF.Rank = TF.Rank> = TF.Variable<R>;
  export type Optimizer = TF.Optimizer;
  export type GradSaveFunc = TF.GradSaveFunc;
}

export { tf };

/**
 * The values of the tensor `build` makes, with every tensor it made freed.
 * Returning `.dataSync()` from `tf.tidy` instead is slow: tidy walks whatever
 * its function returns for tensors, and for a typed array it does so element
 * by element, with a string key and a set insertion each (2 of a KAN fit's
 * 4.7 s). Taking the values outside the scope also frees the returned tensor,
 * which `tf.tidy(build).dataSync()` leaves behind.
 */
export function tidyValues(build: () => TF.Tensor): Float32Array {
  const t = tf.tidy(build);
  const values = t.dataSync() as Float32Array;
  t.dispose();
  return values;
}
