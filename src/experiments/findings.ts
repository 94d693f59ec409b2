/**
 * What a quantised-training run shows, in sentences built from its numbers
 * (nothing here is written before the run): the best methods after sign(),
 * which end with binary weights, how far ASkewSGD's weights are from ±1
 * against what its final constraint allows and how many signs it changed, and
 * what sign() costs the full-precision weights, over the seeds. Plain text
 * (no TeX): the command prints these lines too.
 */
import { formatNumber } from '../numeric/format.ts';
import type { MethodRun } from './quantisedTraining.ts';

const names = (runs: readonly MethodRun[]): string => runs.map((r) => r.label).join('; ');

/** Equal to float64 rounding (the same sign vector gives the same loss to the last bit). */
const same = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));

/** Findings of the runs; `bestLosses` are the best sign vectors' training losses (one per seed), `epsT` the annealed ASkewSGD's final ε. */
export function quantisedFindings(runs: readonly MethodRun[], bestLosses: readonly number[], epsT: number): string[] {
  const out: string[] = [];
  const S = bestLosses.length;
  const hits = (r: MethodRun) => r.perSeed.filter((f, s) => same(f.quantised_loss, bestLosses[s])).length;
  const optimal = runs.filter((r) => hits(r) === S);
  const of = S > 1 ? ` on all ${S} seeds` : '';
  out.push(optimal.length
    ? `sign() of the final weights is the best sign vector${of} for ${optimal.length} of ${runs.length} methods: ${names(optimal)}.`
    : `No method ends with sign() equal to the best sign vector${of}.`);
  const rest = runs.filter((r) => !optimal.includes(r));
  if (rest.length) {
    const byLoss = [...rest].sort((a, b) => a.final.quantised_loss - b.final.quantised_loss);
    const mean = S > 1 ? `mean over the seeds of the best sign vector's: ${formatNumber(bestLosses.reduce((a, v) => a + v, 0) / S)}; ` : '';
    out.push(`${optimal.length ? 'The others, by' : 'By'} training loss after sign() (${mean}${S > 1 ? 'seeds where sign() is the best vector in brackets' : ''}): ${byLoss.map((r) => `${r.label} ${formatNumber(r.final.quantised_loss)}${S > 1 ? ` [${hits(r)}/${S}]` : ''} (test accuracy ${formatNumber(r.final.quantised_accuracy)})`).join('; ')}.`);
  }
  const binary = runs.filter((r) => r.perSeed.every((f) => f.max_distance === 0));
  out.push(binary.length
    ? `Real weights exactly in {±1} at the end${of}: ${names(binary)}.`
    : `No method ends with its real weights exactly in {±1}${of}.`);
  const bound = epsT < 1 ? 1 - Math.sqrt(1 - Math.sqrt(epsT)) : 1;
  const d = runs[0]?.weights[0]?.length ?? 0;
  for (const r of runs.filter((q) => q.optimizer === 'askewsgd' && q.id !== 'askew-paper')) {
    const worst = Math.max(...r.perSeed.map((f) => f.max_distance));
    out.push(`${r.label}: max distance to ±1 ${formatNumber(worst)} over the seeds (${worst <= bound ? 'within' : 'beyond'} the ${formatNumber(bound)} that c_ε ≥ 0 allows at the final ε = ${formatNumber(epsT)}); on average ${formatNumber(r.final.sign_changes)} of ${d} signs differ from sign(x0).`);
  }
  for (const r of runs.filter((q) => q.optimizer === 'sgd')) {
    out.push(`${r.label}: the real weights end at mean distance ${formatNumber(r.final.distance)} from ±1; sign() takes the training loss from ${formatNumber(r.final.loss)} to ${formatNumber(r.final.quantised_loss)} and the test accuracy from ${formatNumber(r.final.accuracy)} to ${formatNumber(r.final.quantised_accuracy)} (means over the seeds).`);
  }
  return out;
}
