/**
 * ASkewSGD (Leconte, Schechtman, Moulines, AISTATS 2023): SGD kept near {±1}
 * by the constraint c_ε(w) = ε − (w² − 1)² ≥ 0, enforced on velocities
 * (Muehlebach–Jordan) rather than by projection:
 *   s = −ĝ if c_ε(w) ≥ 0 or w = 0 or (−ĝ)·K > K², else s = K_{ε,α}(w)  (quantisers.ts),
 *   w ← Π_{[−1,1]}(w + γ_k s),  ε_k = eps0·epsDecay^max(0, k − epsHold),
 * with γ_k = lr (schedule 'constant') or lr/√(k + 1) ('decreasing'), k the
 * update counter from 0 (epsHold > 0: ε stays at eps0 for the first epsHold
 * updates, as the paper's code holds ε = 1 for its first epochs). ĝ is the full
 * gradient, or a minibatch gradient when batchSize is given.
 */
import { tf } from '../../engine/tfjs.ts';
import { batchedGradient, checked, column, rowChoices } from '../common.ts';
import { OPTIONAL_BATCH_SIZE } from '../sampling.ts';
import type { OptimizerSpec } from '../types.ts';
import { frameInputs, frameRule } from './frame.ts';
import { askewDirection, clamp } from './quantisers.ts';

const SCHEDULES = ['constant', 'decreasing'] as const;
type Schedule = (typeof SCHEDULES)[number];

/** γ_k of one row. */
export function askewStepSize(lr: number, schedule: Schedule, k: number): number {
  return schedule === 'constant' ? lr : lr / Math.sqrt(k + 1);
}

export const askewsgd: OptimizerSpec = {
  id: 'askewsgd',
  title: 'ASkewSGD',
  description:
    'w ← Π_{[−1,1]}(w + γ_k s), s = −ĝ where the annealed constraint ε_k − (w² − 1)² ≥ 0 holds or −ĝ already restores it, else the velocity K that does (Leconte, Schechtman, Moulines 2023).',
  implementation: 'own',
  hyper: [
    { name: 'lr', meaning: 'step size γ (per row); γ_k = γ or γ/√(k + 1) by schedule' },
    { name: 'schedule', meaning: 'step sizes: constant γ_k = lr or decreasing γ_k = lr/√(k + 1) (per row)', default: 0, choices: SCHEDULES },
    { name: 'alpha', meaning: 'velocity gain α > 0 of the constraint (per row)' },
    { name: 'eps0', meaning: 'initial constraint width ε_0 ≥ 0 (per row)' },
    { name: 'epsDecay', meaning: 'annealing factor in (0, 1]: ε_k = ε_0·epsDecay^max(0, k − epsHold) (per row)' },
    { name: 'epsHold', meaning: 'updates ≥ 0 during which ε stays at ε_0 before it decays (per row)', default: 0 },
    OPTIONAL_BATCH_SIZE,
  ],
  uniform: ['batchSize'],
  rule: (hyper, ctx) => {
    const id = 'askewsgd';
    const { lr, minibatch } = frameInputs(hyper, ctx, id);
    const schedule = rowChoices(hyper, 'schedule', SCHEDULES, id);
    const alpha = checked(hyper, 'alpha', id, '> 0', (v) => v > 0);
    const eps0 = checked(hyper, 'eps0', id, '≥ 0', (v) => v >= 0);
    const decay = checked(hyper, 'epsDecay', id, 'in (0, 1]', (v) => v > 0 && v <= 1);
    const hold = checked(hyper, 'epsHold', id, '≥ 0', (v) => v >= 0);
    return frameRule<null>({
      columns: { alpha },
      minibatch,
      initExtra: () => null,
      step(objective, w, { cols }, k) {
        // ε_k and γ_k in float64 per row, then one float32 column each.
        const eps = column(eps0.map((e, i) => e * decay[i] ** Math.max(0, k - hold[i])));
        const gamma = column(lr.map((g, i) => askewStepSize(g, schedule[i], k)));
        const s = askewDirection(w, batchedGradient(objective, w), eps, cols.alpha);
        return clamp(tf.add(w, tf.mul(gamma, s)), -1, 1);
      },
    });
  },
};
