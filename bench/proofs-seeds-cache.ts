/**
 * The re-use of step verdicts in tests/proofs-seeds.test.ts gives what a full
 * check gives: for every file of proofs/, every wrong twin and every seed
 * (BOUNDLAB_TEST_PROOF_SEEDS, 20 by default), the twin's step and claim results
 * from twinVerdicts equal checkProof's (every field but the claim's
 * `established`, which the seed test does not read), and so does the file
 * verdict. Prints the mismatches (exit 1 when there is one) and the CPU time of
 * both ways, measured in this one run.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseProof } from '../src/proofs/parse.ts';
import { checkProof, FileChecker } from '../src/proofs/check.ts';
import type { StepResult } from '../src/proofs/result.ts';
import { TWINS, makeTwin } from '../tests/fixtures/proof-twins.ts';
import { twinVerdicts } from '../tests/fixtures/twin-check.ts';

const DIR = join(import.meta.dirname, '..', 'proofs');
const SEEDS = Array.from({ length: Number(process.env.BOUNDLAB_TEST_PROOF_SEEDS ?? 20) }, (_, i) => i);
const options = (seed: number) => ({ seed, samples: 50, prove: false });
const plain = (s: StepResult | undefined) => {
  if (!s) return 'none';
  const { established: _e, establishedNote: _n, ...rest } = s as StepResult & { established?: boolean; establishedNote?: string };
  return JSON.stringify(rest);
};
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

let compared = 0, mismatches = 0, checkedAnew = 0, stepsInAll = 0, fullSeconds = 0, reusedSeconds = 0;
for (const name of readdirSync(DIR).filter((f) => f.endsWith('.md')).sort()) {
  const text = readFileSync(join(DIR, name), 'utf8');
  for (const seed of SEEDS) {
    const pf = parseProof(text, `proofs/${name}`);
    const original = checkProof(pf, options(seed));
    const checker = new FileChecker(pf, options(seed));
    for (const twin of TWINS[name] ?? []) {
      const wrong = makeTwin(text, twin, name).text;
      let t = cpu();
      const full = checkProof(parseProof(wrong, `proofs/${name}`), options(seed));
      fullSeconds += cpu() - t;
      t = cpu();
      const reused = twinVerdicts({ pf, ...original, checker }, parseProof(wrong, `proofs/${name}`), options(seed));
      reusedSeconds += cpu() - t;
      compared++;
      checkedAnew += reused.checked;
      stepsInAll += full.steps.length + (full.claim ? 1 : 0);
      const diffs: string[] = [];
      if (full.verdict !== reused.verdict) diffs.push(`file verdict ${full.verdict} vs ${reused.verdict}`);
      if (full.steps.length !== reused.steps.length) diffs.push(`${full.steps.length} vs ${reused.steps.length} steps`);
      full.steps.forEach((s, i) => { if (plain(s) !== plain(reused.steps[i])) diffs.push(`step at line ${s.line} differs`); });
      if (plain(full.claim) !== plain(reused.claim)) diffs.push('the claim differs');
      if (diffs.length) { mismatches++; console.log(`${name} seed ${seed} twin "${twin.what}": ${diffs.join('; ')}`); }
    }
  }
}
console.log(`${compared} twin checks (${SEEDS.length} seeds): ${mismatches} differ from a full check; ${checkedAnew} of ${stepsInAll} steps and claims checked anew`);
console.log(`CPU seconds for the twins: full ${fullSeconds.toFixed(1)}, re-using ${reusedSeconds.toFixed(1)} (ratio ${(reusedSeconds / fullSeconds).toFixed(3)})`);
process.exitCode = mismatches ? 1 : 0;
