/**
 * What a quantised-training run shows, in sentences built from its numbers
 * (nothing here is written before the run): the best methods after sign(),
 * which end with binary weights, how far ASkewSGD's weights are from ±1
 * against what its final constraint allows and how many signs it changed, and
 * what sign() costs the full-precision weights. Plain text (no TeX): the
 * command prints these lines too.
 */
import { formatNumber } from '../report/format.ts';
import type { MethodRun } from './quantisedTraining.ts';

const names = (runs: readonly MethodRun[]): string => runs.map((r) => r.label).join('; ');

/** Equal to float64 rounding (the same sign vector gives the same loss to the last bit). */
const same = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));

/** Findings of the runs; `bestLoss` is the best sign vector's training loss, `epsT` ASkewSGD's final ε. */
export function quantisedFindings(runs: readonly MethodRun[], bestLoss: number, epsT: number): string[] {
  const out: string[] = [];
  const optimal = runs.filter((r) => same(r.final.quantised_loss, bestLoss));
  out.push(optimal.length
    ? `sign() of the final weights is the best sign vector (training loss ${formatNumber(bestLoss)}) for ${optimal.length} of ${runs.length} methods: ${names(optimal)}.`
    : `No method ends with sign() equal to the best sign vector (training loss ${formatNumber(bestLoss)}).`);
  const rest = runs.filter((r) => !optimal.includes(r));
  if (rest.length) {
    const byLoss = [...rest].sort((a, b) => a.final.quantised_loss - b.final.quantised_loss);
    out.push(`${optimal.length ? 'The others, by' : 'By'} training loss after sign(): ${byLoss.map((r) => `${r.label} ${formatNumber(r.final.quantised_loss)} (test accuracy ${formatNumber(r.final.quantised_accuracy)})`).join('; ')}.`);
  }
  const binary = runs.filter((r) => r.final.max_distance === 0);
  out.push(binary.length
    ? `Real weights exactly in {±1} at the end: ${names(binary)}.`
    : 'No method ends with its real weights exactly in {±1}.');
  const bound = epsT < 1 ? 1 - Math.sqrt(1 - Math.sqrt(epsT)) : 1;
  for (const r of runs.filter((q) => q.optimizer === 'askewsgd')) {
    out.push(`${r.label}: max distance to ±1 ${formatNumber(r.final.max_distance)} (${r.final.max_distance <= bound ? 'within' : 'beyond'} the ${formatNumber(bound)} that c_ε ≥ 0 allows at the final ε = ${formatNumber(epsT)}); ${r.final.sign_changes} of ${r.weights.length} signs differ from sign(x0).`);
  }
  for (const r of runs.filter((q) => q.optimizer === 'sgd')) {
    out.push(`${r.label}: the real weights end at mean distance ${formatNumber(r.final.distance)} from ±1; sign() takes the training loss from ${formatNumber(r.final.loss)} to ${formatNumber(r.final.quantised_loss)} and the test accuracy from ${formatNumber(r.final.accuracy)} to ${formatNumber(r.final.quantised_accuracy)}.`);
  }
  return out;
}
