/**
 * GPFQ on every layer of a ReLU network (Lybrand & Saab 2021, §5; Zhang,
 * Zhou & Saab 2023): the layers are quantised in order, each on the input the
 * analog network gives it (X_ℓ) and the input the already-quantised network
 * gives it (X̃_ℓ), so each layer's path-following corrects the error the
 * layers before it left. Weights are quantised to each layer's b-bit alphabet
 * (layerAlphabet); biases stay real, as in the papers. Nearest rounding of
 * every layer is the baseline.
 */
import { matMul, transpose, type Mat, type Vec } from '../numeric/linalg.ts';
import { layerAlphabet, roundLayer } from './alphabet.ts';
import { gpfqLayer } from './gpfq.ts';

/** A dense layer x ↦ Wx + b, W one neuron per row (out × in). */
export interface DenseLayer {
  W: Mat;
  b: Vec;
}

/** XWᵀ + b on every row of X, then ReLU unless `linear`. */
export function layerOutput(X: Mat, layer: DenseLayer, linear: boolean): Mat {
  const Y = matMul(X, transpose(layer.W));
  const n = layer.b.length;
  for (let i = 0; i < Y.data.length; i++) {
    const v = Y.data[i] + layer.b[i % n];
    Y.data[i] = linear || v > 0 ? v : 0;
  }
  return Y;
}

/** The network's outputs on the rows of X: ReLU between layers, the last one linear. */
export function networkOutput(layers: readonly DenseLayer[], X: Mat): Mat {
  return layers.reduce((H, layer, l) => layerOutput(H, layer, l === layers.length - 1), X);
}

export type NetworkQuantiser = 'gpfq' | 'rounding';

/** Every layer's weights quantised to b bits, in order, on the calibration inputs X (rows). */
export function quantiseNetwork(layers: readonly DenseLayer[], X: Mat, bits: number, how: NetworkQuantiser): DenseLayer[] {
  const out: DenseLayer[] = [];
  let analog = X, quantised = X;
  layers.forEach((layer, l) => {
    const a = layerAlphabet(layer.W, { bits });
    const Q = how === 'gpfq' ? gpfqLayer(layer.W, analog, a, quantised).Q : roundLayer(layer.W, a);
    const q = { W: Q, b: layer.b };
    out.push(q);
    const linear = l === layers.length - 1;
    if (!linear) {
      analog = layerOutput(analog, layer, false);
      quantised = layerOutput(quantised, q, false);
    }
  });
  return out;
}
