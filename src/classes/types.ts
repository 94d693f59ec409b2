/**
 * Function classes and the families that witness them.
 *
 * A family generates concrete functions (instances) whose constants are known
 * exactly or by a proven bound. Each instance carries a float64 oracle for
 * checking and the data a batched TensorFlow.js loss needs for running.
 */
import type * as tf from '@tensorflow/tfjs';
import type * as fc from 'fast-check';
import type { Vec } from '../numeric/linalg.ts';

/** The function classes, named as the proof format (docs/proof-format.md) names them. */
export const CLASS_NAMES = [
  'convex',
  'L-smooth',
  'mu-strongly-convex',
  'mu-PL',
  'G-Lipschitz',
  'quadratic',
  'bounded-below',
] as const;
export type ClassName = (typeof CLASS_NAMES)[number];

/** The one table of the classes with a constant: the name statements give it (a witness's certificate fills it). */
export const CLASS_CONSTANT: Readonly<Partial<Record<ClassName, string>>> = {
  'L-smooth': 'L', 'mu-strongly-convex': 'mu', 'mu-PL': 'mu', 'G-Lipschitz': 'G',
};

/**
 * What an instance certifies. A constant that is undefined means the instance
 * is not known to be in that class. Every number here is exact or a proven
 * upper (L, G) / lower (mu, pl) bound, never an estimate.
 */
export interface Certificate {
  convex: boolean;
  quadratic: boolean;
  /** Gradient Lipschitz constant: ‖∇f(x) − ∇f(y)‖ ≤ L‖x − y‖ for all x, y. */
  L?: number;
  /** Strong convexity: f − (mu/2)‖x‖² convex, mu > 0. */
  mu?: number;
  /** Polyak–Łojasiewicz: ½‖∇f(x)‖² ≥ pl·(f(x) − f*), pl > 0. */
  pl?: number;
  /** f itself G-Lipschitz on the whole space. */
  G?: number;
  /** inf f (finite ⇔ bounded below). */
  fstar: number;
  /** For f = g + (lambda/2)‖x‖² with g convex and Lbase-smooth. */
  regularized?: { lambda: number; Lbase: number };
  /** Finite sums f = (1/n) Σ f_i: the gradient noise of one uniformly drawn sample. */
  noise?: NoiseCertificate;
}

/**
 * The stochastic constants of a finite sum with one sample i drawn uniformly
 * (a minibatch of m drawn with replacement divides M and MV by m). Each is
 * exact or a proven upper bound.
 */
export interface NoiseCertificate {
  /** E‖∇f_i(x) − ∇f(x)‖² ≤ M + MV‖∇f(x)‖² for every x (Bottou–Curtis–Nocedal 2018, Assumption 4.3). */
  M: number;
  MV: number;
  /** σ* = E‖∇f_i(x*)‖² (Gower et al. 2019); 0 means interpolation. */
  sigmaStar: number;
  /** max_i of the smoothness constant of f_i. */
  Lmax: number;
  /** Every f_i is convex (not only their mean). */
  convexSamples: boolean;
}

/** A concrete function with its float64 oracle. */
export interface Instance {
  family: string;
  /** The family parameters this instance was built from (JSON-serialisable; replays exactly). */
  params: Record<string, unknown>;
  dim: number;
  cert: Certificate;
  /** The default starting point (part of the params, so searches can move it). */
  x0: Vec;
  value(x: ArrayLike<number>): number;
  grad(x: ArrayLike<number>): Vec;
  /** Row-major d×d Hessian, where f is twice differentiable at x. */
  hess?(x: ArrayLike<number>): Float64Array;
  /** The minimiser nearest to x (the projection onto X*), or null when there is no minimiser or it is unknown. */
  nearestMinimiser(x: ArrayLike<number>): Vec | null;
  /** Finite sums: E_i‖∇f_i(x)‖² = (1/n) Σ_i ‖∇f_i(x)‖², in float64. */
  sampleGrad2?(x: ArrayLike<number>): number;
  /** Named data for the proof checker and lemmas (e.g. the matrix X, labels y, n). */
  data?: Record<string, number | number[] | number[][]>;
  /**
   * A composite problem F = f + h: `value` and `grad` are the smooth f's, this is h (closed convex,
   * reached through its proximal map). The statement's f_t is then F(x_t), and cert.fstar is inf F.
   */
  nonsmooth?: NonsmoothTerm;
}

/** The nonsmooth term h of a composite instance, in float64. */
export interface NonsmoothTerm {
  value(x: ArrayLike<number>): number;
  /** prox_{γh}(v) = argmin_x h(x) + ‖x − v‖²/(2γ). */
  prox(v: ArrayLike<number>, gamma: number): Vec;
  /** A bound on every subgradient's norm (h is Lipschitz with it): the float32 tolerance of F's value needs it. */
  lipschitz: number;
}

/** The objective a statement's f_t measures: f, or F = f + h for a composite instance. */
export function objectiveValue(inst: Instance, x: ArrayLike<number>): number {
  return inst.value(x) + (inst.nonsmooth ? inst.nonsmooth.value(x) : 0);
}

/**
 * The proximal map of the instances' nonsmooth terms for a batch (row i of v is instance i's point,
 * gamma[i] its step): what an optimiser with a proximal step applies (src/optimizers/proximal-gd.ts).
 */
export type BatchedProx = (v: tf.Tensor2D, gamma: Float32Array) => tf.Tensor2D;

/**
 * A batched TensorFlow.js loss: row i of x (shape [B, d]) is the point of
 * instance i; the result (shape [B]) is each instance's loss. Rows never mix,
 * so the gradient of the summed loss gives every row its own gradient.
 */
export interface BatchedLoss {
  (x: tf.Tensor2D): tf.Tensor1D;
  /** Frees the tensors holding the instances' data. */
  dispose(): void;
}

export interface FamilyContext {
  /** The dimension to generate (families that are 1-D ignore it). */
  dim: number;
}

export interface Family<P extends Record<string, unknown> = Record<string, unknown>> {
  id: string;
  title: string;
  /** One or two sentences: what the functions are and how their constants are certified. */
  description: string;
  /** The classes every instance belongs to (per-instance constants are in the certificate). */
  classes: readonly ClassName[];
  /** Dimensions this family can generate; undefined means any d ≥ 1. */
  dims?: readonly number[];
  /** Random parameters, including boundary and extreme cases, and the starting point. */
  arbitrary(ctx: FamilyContext): fc.Arbitrary<P>;
  instantiate(params: P): Instance;
  /** One batched loss over instances of this family that share a dimension. */
  tfLoss(instances: readonly Instance[]): BatchedLoss;
  /**
   * Finite-sum families (f = (1/n) Σ f_i) only: the loss on a minibatch.
   * `batch` has shape [B, m] (int32 sample indices per instance); the result,
   * shape [B], is (1/m) Σ_{j} f_{batch[i, j]}(x_i) for each row i.
   */
  tfMinibatchLoss?(instances: readonly Instance[]): MinibatchLoss;
  /** Number of samples n, for finite-sum families. */
  samples?(instance: Instance): number;
  /** Families of composite problems (instances with `nonsmooth`): the batched proximal map of h. */
  tfProx?(instances: readonly Instance[]): BatchedProx;
  /**
   * Drawn only by theorems that name it in `families` (a witness built for
   * the stochastic theorems: as a deterministic function it repeats another family).
   */
  byName?: boolean;
}

export interface MinibatchLoss {
  (x: tf.Tensor2D, batch: tf.Tensor2D): tf.Tensor1D;
  dispose(): void;
}

/** Whether an instance is in a class, by its certificate. */
export function belongsTo(cert: Certificate, cls: ClassName): boolean {
  switch (cls) {
    case 'convex': return cert.convex;
    case 'quadratic': return cert.quadratic;
    case 'L-smooth': return cert.L !== undefined && Number.isFinite(cert.L);
    case 'mu-strongly-convex': return cert.mu !== undefined && cert.mu > 0;
    case 'mu-PL': return (cert.pl ?? cert.mu) !== undefined && (cert.pl ?? cert.mu)! > 0;
    case 'G-Lipschitz': return cert.G !== undefined && Number.isFinite(cert.G);
    case 'bounded-below': return Number.isFinite(cert.fstar);
  }
}
