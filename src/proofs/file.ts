/** One proof file from disk to its result, as `check` and the report run it. */
import { parseProof, ProofError, titleOf } from './parse.ts';
import { checkProof, type CheckOptions } from './check.ts';
import type { FileResult } from './result.ts';
import { readInput } from '../language/input.ts';
import { UsageError } from '../language/usage.ts';

/**
 * Read, parse and check one file. A file that cannot be read or is malformed
 * becomes an `error` result naming file:line; so does anything unexpected
 * while checking it, so that the other files of a run keep their results.
 */
export function checkFile(path: string, opts: CheckOptions): FileResult {
  let title = '';
  const failed = (error: string): FileResult => ({ file: path, title, verdict: 'error', steps: [], error, seed: opts.seed, seconds: 0 });
  let text: string;
  try {
    text = readInput(path, opts.limits?.bytes);
  } catch (e) {
    if (e instanceof UsageError) return failed(e.message);
    throw e;
  }
  title = titleOf(text);
  try {
    return checkProof(parseProof(text, path), opts);
  } catch (e) {
    if (e instanceof ProofError) return failed(e.message);
    const what = e instanceof RangeError ? 'it is nested too deeply to check' : `an internal error (${(e as Error)?.message ?? String(e)}); please report it with the file`;
    return failed(`${path}: not checked: ${what}`);
  }
}
