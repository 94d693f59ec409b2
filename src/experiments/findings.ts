/**
 * What a quantised-training run shows, in sentences built from its numbers
 * (nothing here is written before the run): the best method after sign(),
 * which methods end with binary weights, how far ASkewSGD's weights are from
 * ±1 against what its final constraint allows, and what sign() costs the
 * full-precision weights.
 */
import { formatNumber } from '../report/format.ts';
import type { MethodRun } from './quantisedTraining.ts';

/** Findings (Markdown) of the runs; `bestLoss` is the best sign vector's training loss, `epsT` ASkewSGD's final ε. */
export function quantisedFindings(runs: readonly MethodRun[], bestLoss: number, epsT: number): string[] {
  const out: string[] = [];
  const quantised = runs.filter((r) => r.optimizer !== 'sgd');
  const byLoss = [...quantised].sort((a, b) => a.final.quantised_loss - b.final.quantised_loss);
  const top = byLoss[0];
  out.push(`Lowest training loss after sign() among the quantised methods: ${top.label} (${formatNumber(top.final.quantised_loss)}, test accuracy ${formatNumber(top.final.quantised_accuracy)}); highest: ${byLoss[byLoss.length - 1].label} (${formatNumber(byLoss[byLoss.length - 1].final.quantised_loss)}).`);
  // sign() of the final weights is the exhaustive optimum when their losses agree to float64 rounding.
  const optimal = runs.filter((r) => Math.abs(r.final.quantised_loss - bestLoss) <= 1e-12 * Math.max(1, bestLoss));
  out.push(optimal.length
    ? `sign() of the final weights is the best sign vector for: ${optimal.map((r) => r.label).join(', ')}.`
    : 'No method ends with sign() equal to the best sign vector.');
  const binary = runs.filter((r) => r.final.max_distance === 0);
  out.push(binary.length
    ? `Weights exactly in $\\{\\pm1\\}$ at the end (max distance 0): ${binary.map((r) => r.label).join(', ')}.`
    : 'No method ends with its real weights exactly in $\\{\\pm1\\}$.');
  const bound = epsT < 1 ? 1 - Math.sqrt(1 - Math.sqrt(epsT)) : 1;
  for (const r of runs.filter((q) => q.optimizer === 'askewsgd')) {
    out.push(`${r.label}: max distance to $\\pm1$ ${formatNumber(r.final.max_distance)}, against ${formatNumber(bound)} allowed by $c_{\\varepsilon_T} \\ge 0$ at $\\varepsilon_T = ${formatNumber(epsT)}$ (${r.final.max_distance <= bound ? 'inside' : 'outside'} the final constraint set).`);
  }
  for (const r of runs.filter((q) => q.optimizer === 'sgd')) {
    out.push(`${r.label}: the real weights end at mean distance ${formatNumber(r.final.distance)} from $\\pm1$; sign() moves the training loss from ${formatNumber(r.final.loss)} to ${formatNumber(r.final.quantised_loss)} and the test accuracy from ${formatNumber(r.final.accuracy)} to ${formatNumber(r.final.quantised_accuracy)}.`);
  }
  return out;
}
