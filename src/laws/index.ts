/**
 * The law checks `boundlab law ID` runs, by id, and the function that runs one
 * and writes its page.
 */
import { initEngine } from '../engine/backend.ts';
import { environment } from '../report/environment.ts';
import { writeAtomically } from '../report/write.ts';
import { renderLawPage } from '../report/law.ts';
import type { Law, LawOptions, LawResult } from './types.ts';
import { overallVerdict } from './verdict.ts';

export type { Law, LawOptions, LawResult, LawVerdict, StatementResult, Claim, Estimate } from './types.ts';
export { fitExponent, LAW_LEVEL } from './fit.ts';
export { exponentVerdict, overallVerdict } from './verdict.ts';

export { LAWS, lawById } from './catalogue.ts';

export interface WriteLawOptions extends LawOptions {
  /** Directory for law-ID.html (default reports). */
  out?: string;
  /** The command line, for the page's environment. */
  argv?: readonly string[];
}

/** Runs the law check and writes DIR/law-ID.html; returns the result, its overall verdict and the page's path. */
export async function runLaw(law: Law, opts: WriteLawOptions = {}): Promise<{ result: LawResult; verdict: ReturnType<typeof overallVerdict>; file: string; bytes: number }> {
  const backends = law.tensorflow ? [await initEngine()] : [];
  const result = await law.run(opts);
  const given: Record<string, number> = {};
  if (opts.seeds !== undefined) given.seeds = opts.seeds;
  if (opts.seed !== undefined) given.seed = opts.seed;
  const env = environment({ backends, seed: result.seed, options: given, argv: opts.argv ?? [law.id], command: 'law' });
  const html = renderLawPage(result, env);
  const file = writeAtomically(opts.out ?? 'reports', `law-${law.id}.html`, html);
  return { result, verdict: overallVerdict(result.statements.map((s) => s.verdict)), file, bytes: Buffer.byteLength(html) };
}
