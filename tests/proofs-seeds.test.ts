/**
 * Seed robustness of the proof corpus: every file of proofs/ checks valid at
 * each of 20 seeds, and every wrong twin is refuted at exactly its changed
 * line at each of them (the issue's robustness bar; BOUNDLAB_TEST_PROOF_SEEDS=N
 * for another count). Sampling only (no symbolic or interval proof: they
 * do not depend on the seed), with 50 samples per step rather than the default 200 so
 * that the seeds stay cheap; a twin that needs the default 200 to be caught
 * would fail here. A twin re-uses its original's verdicts (same seed) at the
 * steps that do not read its changed line (tests/fixtures/twin-check.ts; the
 * identity with a full check at every seed is bench/proofs-seeds-cache.ts).
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseProof } from '../src/proofs/parse.ts';
import { checkProof, FileChecker } from '../src/proofs/check.ts';
import type { StepResult } from '../src/proofs/result.ts';
import { TWINS, makeTwin } from './fixtures/proof-twins.ts';
import { twinVerdicts } from './fixtures/twin-check.ts';

const DIR = join(import.meta.dirname, '..', 'proofs');
const SEEDS = Array.from({ length: Number(process.env.BOUNDLAB_TEST_PROOF_SEEDS ?? 20) }, (_, i) => i);
const SAMPLES = 50;
const TIMEOUT = 600_000;

const corpus = readdirSync(DIR).filter((f) => f.endsWith('.md')).sort();
// the test reads which steps are refuted, not at which assignment: refutations are not shrunk
const options = (seed: number) => ({ seed, samples: SAMPLES, prove: false, shrink: false });
const refutedLines = (r: { steps: readonly StepResult[]; claim?: StepResult }) => [...r.steps, ...(r.claim ? [r.claim] : [])].filter((s) => s.verdict === 'refuted').map((s) => s.line);

describe(`the proof corpus at ${SEEDS.length} seeds`, () => {
  for (const name of corpus) {
    const text = readFileSync(join(DIR, name), 'utf8');
    it(`${name}: valid at every seed; each wrong twin refuted at its line at every seed`, () => {
      const failures: string[] = [];
      for (const seed of SEEDS) {
        const pf = parseProof(text, `proofs/${name}`);
        const r = checkProof(pf, options(seed));
        const original = { pf, ...r, checker: new FileChecker(pf, options(seed)) };
        if (r.verdict !== 'valid') failures.push(`seed ${seed}: the file is ${r.verdict} (refuted at ${refutedLines(r).join(', ')})`);
        for (const twin of TWINS[name] ?? []) {
          const { text: wrong, line } = makeTwin(text, twin, name);
          const lines = refutedLines(twinVerdicts(original, parseProof(wrong, `proofs/${name}`), options(seed)));
          if (lines.length !== 1 || lines[0] !== line) failures.push(`seed ${seed}: twin "${twin.what}" refuted at [${lines.join(', ')}], expected [${line}]`);
        }
      }
      expect(failures).toEqual([]);
    }, TIMEOUT);
  }
});
