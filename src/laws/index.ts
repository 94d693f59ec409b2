/**
 * The law checks `boundlab law ID` runs, by id (runLaw, which runs one and writes
 * its page, is src/report/standalone.ts).
 */

export type { Law, LawOptions, LawResult, LawVerdict, StatementResult, Claim, Estimate } from './types.ts';
export { fitExponent, LAW_LEVEL } from './fit.ts';
export { exponentVerdict, overallVerdict } from './verdict.ts';

export { LAWS, lawById } from './catalogue.ts';
