/**
 * A report's items (a verified theorem, a checked proof file) and their
 * one-line summaries: the rows of the page's summary table and of `--json`.
 */
import type { ProofFile } from '../proofs/parse.ts';
import type { FileResult } from '../proofs/result.ts';
import type { Theorem } from '../theorems/types.ts';
import type { VerifyResult } from '../verify/result.ts';
import type { Experiment, ExperimentResult } from '../experiments/types.ts';
import { experimentVerdict } from './experiment.ts';
import { lawVerdict } from './law.ts';
import type { Law, LawResult } from '../laws/types.ts';

export type ReportItem =
  | { kind: 'theorem'; theorem: Theorem; result?: VerifyResult; error?: string }
  | { kind: 'experiment'; experiment: Experiment; result?: ExperimentResult; error?: string }
  | { kind: 'law'; law: Law; result?: LawResult; error?: string }
  /** `proof` is the parsed file (absent when it does not parse: `result.error` says why). */
  | { kind: 'proof'; file: string; proof?: ProofFile; result: FileResult };

export interface SummaryRow {
  item: string;
  kind: 'theorem' | 'proof' | 'experiment' | 'law';
  title: string;
  /** holds, violated (theorems); valid, refuted (proofs); holds, refuted, measured (experiments: their claims); inconclusive, error (any) */
  verdict: string;
  worst_margin: number | null;
  /** Witness instances (theorems). */
  instances: number | null;
  /** Steps per run or points per instance (theorems); steps checked, the claim included (proofs). */
  steps: number | null;
  seconds: number;
}

export function summaryRow(item: ReportItem): SummaryRow {
  if (item.kind === 'theorem') {
    const r = item.result;
    return {
      item: item.theorem.id, kind: 'theorem', title: item.theorem.title,
      verdict: r?.verdict ?? 'error', worst_margin: r?.worst_margin ?? null,
      instances: r?.instances ?? null, steps: r?.steps ?? null, seconds: r?.seconds ?? 0,
    };
  }
  if (item.kind === 'law') {
    return {
      item: item.law.id, kind: 'law', title: item.law.title, verdict: lawVerdict(item.result),
      worst_margin: null, instances: null, steps: null, seconds: item.result?.seconds ?? 0,
    };
  }
  if (item.kind === 'experiment') {
    return {
      item: item.experiment.id, kind: 'experiment', title: item.experiment.title, verdict: experimentVerdict(item.result),
      worst_margin: null, instances: null, steps: typeof item.result?.settings.steps === 'number' ? item.result.settings.steps : null, seconds: item.result?.seconds ?? 0,
    };
  }
  const r = item.result;
  return {
    item: item.file, kind: 'proof', title: r.title || item.proof?.title || '',
    verdict: r.verdict, worst_margin: null, instances: null,
    steps: r.steps.length + (r.claim ? 1 : 0), seconds: r.seconds,
  };
}

/**
 * 2 when anything could not be checked (an error, a theorem that failed to
 * run, a theorem or proof with no evidence); else 1 when something is
 * violated or refuted; else 0. An experiment's or a law check's inconclusive
 * claim was checked (its interval straddles the claim: more seeds would
 * decide it): shown, not an error.
 */
export function exitCode(rows: readonly SummaryRow[]): number {
  const measured = (r: SummaryRow) => r.kind === 'experiment' || r.kind === 'law';
  if (rows.some((r) => r.verdict === 'error' || (r.verdict === 'inconclusive' && !measured(r)))) return 2;
  return rows.some((r) => r.verdict === 'violated' || r.verdict === 'refuted') ? 1 : 0;
}
