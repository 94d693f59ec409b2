/**
 * Seed robustness of the proof corpus: every file of proofs/ checks valid at
 * each of 20 seeds, and every wrong twin is refuted at exactly its changed
 * line at each of them (the issue's robustness bar; BOUNDLAB_TEST_PROOF_SEEDS=N
 * for another count). Sampling only (no symbolic or interval proof: they
 * do not depend on the seed), with 50 samples per step rather than the default 200 so
 * that the seeds stay cheap; a twin that needs the default 200 to be caught
 * would fail here.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseProof } from '../src/proofs/parse.ts';
import { checkProof } from '../src/proofs/check.ts';
import type { FileResult } from '../src/proofs/result.ts';
import { TWINS, makeTwin } from './fixtures/proof-twins.ts';

const DIR = join(import.meta.dirname, '..', 'proofs');
const SEEDS = Array.from({ length: Number(process.env.BOUNDLAB_TEST_PROOF_SEEDS ?? 20) }, (_, i) => i);
const SAMPLES = 50;
const TIMEOUT = 600_000;

const corpus = readdirSync(DIR).filter((f) => f.endsWith('.md')).sort();
const check = (text: string, name: string, seed: number): FileResult => checkProof(parseProof(text, `proofs/${name}`), { seed, samples: SAMPLES, prove: false });
const refutedLines = (r: FileResult) => [...r.steps, ...(r.claim ? [r.claim] : [])].filter((s) => s.verdict === 'refuted').map((s) => s.line);

describe(`the proof corpus at ${SEEDS.length} seeds`, () => {
  for (const name of corpus) {
    const text = readFileSync(join(DIR, name), 'utf8');
    it(`${name}: valid at every seed; each wrong twin refuted at its line at every seed`, () => {
      const failures: string[] = [];
      for (const seed of SEEDS) {
        const r = check(text, name, seed);
        if (r.verdict !== 'valid') failures.push(`seed ${seed}: the file is ${r.verdict} (refuted at ${refutedLines(r).join(', ')})`);
        for (const twin of TWINS[name] ?? []) {
          const { text: wrong, line } = makeTwin(text, twin, name);
          const lines = refutedLines(check(wrong, name, seed));
          if (lines.length !== 1 || lines[0] !== line) failures.push(`seed ${seed}: twin "${twin.what}" refuted at [${lines.join(', ')}], expected [${line}]`);
        }
      }
      expect(failures).toEqual([]);
    }, TIMEOUT);
  }
});
