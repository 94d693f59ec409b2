/**
 * Throughput of batched gradient descent: instance-steps per second of the
 * `gd` optimiser through runBatch (tf.train.sgd, per-step download included)
 * on d = 50 quadratics f(x) = ½xᵀAx − bᵀx with B = 1, 16, 256 instances per
 * batch, against a plain Float64Array loop doing the same work (one dense d×d
 * matvec per instance and step). Both are measured in this run; only the
 * ratios mean anything across machines. No assertions: timings never go in tests.
 */
import * as tf from '@tensorflow/tfjs';
import type { BatchedLoss, Family, Instance } from '../src/classes/types.ts';
import { initEngine } from '../src/engine/backend.ts';
import { fromSpectrum, matVec, randomOrthogonal, type Mat } from '../src/numeric/linalg.ts';
import { makeRng } from '../src/numeric/rng.ts';
import { runBatch } from '../src/runs/run.ts';

const D = 50;
const BATCHES = [1, 16, 256];
/** Seconds each measurement aims at (after a warm-up run). */
const BUDGET = 1.5;

interface Quad extends Instance { A: Mat; b: Float64Array }

/** A quadratic with spectrum in [1, 100] and a random rotation. */
function quadratic(seed: number): Quad {
  const rng = makeRng(seed);
  const A = fromSpectrum(randomOrthogonal(D, rng), Array.from({ length: D }, (_, i) => 1 + (99 * i) / (D - 1)));
  const b = Float64Array.from({ length: D }, () => rng.normal());
  const grad = (x: ArrayLike<number>) => matVec(A, x).map((v, i) => v - b[i]);
  return {
    family: 'bench-quadratic', params: { seed }, dim: D,
    cert: { convex: true, quadratic: true, L: 100, mu: 1, fstar: -Infinity },
    x0: Float64Array.from({ length: D }, () => rng.normal()),
    value: (x) => { const ax = matVec(A, x); let s = 0; for (let i = 0; i < D; i++) s += 0.5 * x[i] * ax[i] - b[i] * x[i]; return s; },
    grad,
    nearestMinimiser: () => null,
    A, b,
  };
}

const family: Family = {
  id: 'bench-quadratic',
  title: '½xᵀAx − bᵀx (benchmark)',
  description: 'Dense SPD quadratics for timing only.',
  classes: ['convex', 'quadratic', 'L-smooth'],
  arbitrary: () => { throw new Error('benchmark family: no arbitrary'); },
  instantiate: (p) => quadratic(p.seed as number),
  tfLoss(instances) {
    const qs = instances as readonly Quad[];
    const A = tf.tensor3d(Float32Array.from(qs.flatMap((q) => Array.from(q.A.data))), [qs.length, D, D]);
    const b = tf.tensor2d(Float32Array.from(qs.flatMap((q) => Array.from(q.b))), [qs.length, D]);
    const loss = ((x: tf.Tensor2D) =>
      tf.tidy(() => {
        const ax = tf.squeeze(tf.matMul(A, tf.expandDims(x, 2)), [2]);
        return tf.sum(tf.sub(tf.mul(0.5, tf.mul(x, ax)), tf.mul(b, x)), 1);
      })) as BatchedLoss;
    loss.dispose = () => tf.dispose([A, b]);
    return loss;
  },
};

/** Instance-steps per second of `gd` through runBatch on B instances (includes the dataSync per step). */
async function tfjsRate(B: number): Promise<{ rate: number; steps: number }> {
  const instances = Array.from({ length: B }, (_, i) => quadratic(1000 + i));
  const lr = instances.map(() => 1 / 100);
  let sink = 0;
  const run = async (steps: number) => {
    const t0 = performance.now();
    await runBatch({ family, instances, optimizer: 'gd', hyper: { lr }, steps, onStep: (_t, x) => { sink += x[0]; } });
    return (performance.now() - t0) / 1000;
  };
  await run(100); // warm-up: kernel set-up and JIT
  const probe = 50;
  const steps = Math.max(20, Math.round((BUDGET * probe) / (await run(probe))));
  const secs = await run(steps);
  if (Number.isNaN(sink)) console.log('(diverged)');
  return { rate: (B * steps) / secs, steps };
}

/** Instance-steps per second of the same GD in plain float64 (B instances, one matvec each per step). */
function float64Rate(B: number): { rate: number; steps: number } {
  const qs = Array.from({ length: B }, (_, i) => quadratic(1000 + i));
  const xs = qs.map((q) => Float64Array.from(q.x0));
  const g = new Float64Array(D);
  const run = (steps: number) => {
    const t0 = performance.now();
    for (let t = 0; t < steps; t++)
      for (let k = 0; k < B; k++) {
        const { A, b } = qs[k], x = xs[k], a = A.data;
        for (let i = 0; i < D; i++) {
          let s = -b[i];
          const o = i * D;
          for (let j = 0; j < D; j++) s += a[o + j] * x[j];
          g[i] = s;
        }
        for (let i = 0; i < D; i++) x[i] -= 0.01 * g[i];
      }
    return (performance.now() - t0) / 1000;
  };
  run(100); // warm-up: JIT
  const probe = 50;
  const steps = Math.max(20, Math.round((BUDGET * probe) / run(probe)));
  return { rate: (B * steps) / run(steps), steps };
}

async function main() {
  const backend = await initEngine();
  const rows: { what: string; B: number; steps: number; rate: number }[] = [];
  for (const B of BATCHES) rows.push({ what: 'tfjs gd via runBatch', B, ...(await tfjsRate(B)) });
  const f64 = float64Rate(256);
  rows.push({ what: 'float64 loop', B: 256, ...f64 });

  console.log(`gd throughput, d = ${D}; backend ${backend} (tfjs ${tf.version.tfjs}), node ${process.version}`);
  console.log('');
  console.log('| what                 |   B | steps | instance-steps/s |');
  console.log('|----------------------|----:|------:|-----------------:|');
  for (const r of rows)
    console.log(`| ${r.what.padEnd(20)} | ${String(r.B).padStart(3)} | ${String(r.steps).padStart(5)} | ${r.rate.toFixed(0).padStart(16)} |`);
  const at = (B: number) => rows.find((r) => r.what.startsWith('tfjs') && r.B === B)!.rate;
  console.log('');
  console.log(`batched B=256 / float64 loop (per instance-step): ${(at(256) / f64.rate).toFixed(3)}`);
  console.log(`batched B=256 / batched B=1 (per instance-step):  ${(at(256) / at(1)).toFixed(1)}`);
}

await main();
