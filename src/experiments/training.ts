/**
 * The run shared by the quantised-training experiments (askewsgd-logistic,
 * two-moons): the schedules derived from the step count (ASkewSGD's δ so that
 * ε reaches ε_T at the last step, ProxQuant's ρ so that its threshold passes
 * 1 at T/2), every method compared on the problems (one per seed), the
 * exhaustive best sign vector of each, the papers' claims judged over the
 * seeds, and the page's figures, table, findings and data. Each experiment
 * supplies its problems, its claims and what it says about them.
 */
import { checkClaims, type ClaimSpec, type ClaimsCheck } from './claims.ts';
import { bestBinary, compareMethods, comparisonTable, metricFigures, runsData, type FinalId, type MethodRun, type QuantisedProblem, type Reference } from './quantisedTraining.ts';
import { quantisedFindings } from './findings.ts';
import { epsDecay, quantisedMethods, WARM_EPS0, type MethodSettings } from './methods.ts';
import { formatNumber } from '../numeric/format.ts';
import type { ExperimentResult } from './types.ts';

/** The hyperparameters every method shares (the step size, the minibatch) and ASkewSGD's. */
export interface TrainingHyper {
  lr: number;
  batchSize: number;
  alpha: number;
  eps0: number;
  /** ε at the last step. */
  epsEnd: number;
  paperAskew: MethodSettings['paperAskew'];
  adaste: MethodSettings['adaste'];
}

/** The schedules of one run of T steps. */
export interface TrainingSchedule {
  T: number;
  /** ASkewSGD's δ (ε0 of the hyperparameters) and the warm start's. */
  delta: number;
  warmDelta: number;
  epsT: number;
  /** ProxQuant's λ_t = ρt, ρ = 2/(γT). */
  rho: number;
  every: number;
}

export type BestBinary = ReturnType<typeof bestBinary>;

export interface TrainingSpec {
  id: string;
  title: string;
  hyper: TrainingHyper;
  /** One problem per seed (data and start); the claims are judged over them. */
  problems: readonly QuantisedProblem[];
  steps: number;
  seed: number;
  /** Measure every this many steps (and at the last). */
  every: number;
  onProgress?(text: string): void;
  /** Settings of the problem, listed before the shared ones. */
  settings: Record<string, number | string>;
  /** The papers' claims, each a relation on a per-seed quantity of the runs. */
  claims(runs: RunsById, bests: readonly BestBinary[]): ClaimSpec[];
  /** The closing note: each paper's claim beside our measurement (Markdown). */
  closing(claims: ClaimsCheck, runs: RunsById): string;
  /** What the experiment says, from the best sign vectors (one per seed) and the schedule. */
  describe(bests: readonly BestBinary[], schedule: TrainingSchedule): {
    setup: string;
    references: Reference[];
    /** Listed before the shared findings. */
    findings: string[];
    /** Joined to data.references. */
    references_data: Record<string, unknown>;
  };
}

export type RunsById = Readonly<Record<string, MethodRun>>;

/** The per-seed draws of final[a] − final[b] (b omitted: final[a] alone). */
export function perSeedDifference(runs: RunsById, metric: FinalId, a: string, b?: string): number[] {
  return runs[a].perSeed.map((f, s) => f[metric] - (b ? runs[b].perSeed[s][metric] : 0));
}

/** Runs every method on the problems and assembles the experiment's result. */
export async function runTraining(spec: TrainingSpec): Promise<ExperimentResult> {
  const started = performance.now();
  const { hyper: h, steps: T } = spec;
  if (!Number.isInteger(T) || T < 1) throw new Error(`${spec.id}: steps must be an integer ≥ 1, got ${T}`);
  const schedule: TrainingSchedule = {
    T, delta: epsDecay(h.eps0, h.epsEnd, T), warmDelta: epsDecay(WARM_EPS0, h.epsEnd, T), epsT: h.epsEnd,
    // ProxQuant's threshold γλ_t = γρt reaches 1 at t = T/2: from there every weight within 1 of ±1 is snapped onto it.
    rho: 2 / (h.lr * T), every: spec.every,
  };
  const methods = quantisedMethods({
    lr: h.lr, batchSize: h.batchSize, lambdaRate: schedule.rho, alpha: h.alpha, eps0: h.eps0, epsEnd: h.epsEnd, steps: T,
    paperAskew: h.paperAskew, adaste: h.adaste,
  });
  const runs = await compareMethods(spec.problems, methods, { steps: T, every: spec.every, seed: spec.seed, onProgress: spec.onProgress });
  const bests = spec.problems.map(bestBinary);
  const byId: RunsById = Object.fromEntries(runs.map((r) => [r.id, r]));
  const said = spec.describe(bests, schedule);
  const claims = checkClaims(spec.claims(byId, bests));
  const S = spec.problems.length;
  return {
    experiment: spec.id,
    title: spec.title,
    seed: spec.seed,
    settings: {
      ...spec.settings, seeds: `${S} (${spec.seed}…${spec.seed + S - 1})`, 'batch size': h.batchSize, steps: T, 'step size γ': h.lr,
      'ASkewSGD (paper) α, ε0, held, δ': `${h.paperAskew.alpha}, ${h.paperAskew.eps0}, ${h.paperAskew.hold} steps, ${formatNumber(h.paperAskew.decay)}`,
      'ASkewSGD (annealed) α, ε0': `${h.alpha}, ${h.eps0}`,
      'ε decay δ': schedule.delta, [`ε decay δ (ε0 = ${WARM_EPS0})`]: schedule.warmDelta, 'ε at the last step': schedule.epsT,
      'ProxQuant ρ (λ_t = ρt)': schedule.rho, 'AdaSTE γ, N': `${formatNumber(h.adaste.lr)}, ${h.adaste.multiplier}`, 'measured every': `${spec.every} steps`,
    },
    setup: said.setup,
    figures: metricFigures(runs, said.references),
    table: comparisonTable(runs),
    findings: [...said.findings, ...quantisedFindings(runs, bests.map((b) => b.loss), schedule.epsT)],
    data: { seeds: S, methods: runsData(runs), references: { ...said.references_data, best_binary: bests, eps_final: schedule.epsT } },
    claims,
    closing: spec.closing(claims, byId),
    seconds: (performance.now() - started) / 1000,
  };
}
