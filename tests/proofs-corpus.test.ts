/**
 * The proof corpus (proofs/*.md): every file is a correct derivation and must
 * check `valid` with no step refuted. Each file also has wrong twins, made in
 * this test by a text substitution of the corpus file (a factor changed, a
 * relation flipped, an exponent changed), so the twins follow the corpus when
 * it is edited; each twin must be `refuted` at exactly the changed line.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseProof } from '../src/proofs/parse.ts';
import { checkNames } from '../src/proofs/names.ts';
import { checkProof } from '../src/proofs/check.ts';
import type { FileResult, StepResult } from '../src/proofs/result.ts';
import { TWINS, makeTwin } from './fixtures/proof-twins.ts';

const DIR = join(import.meta.dirname, '..', 'proofs');
const SEED = 20240611;
/** Some files differentiate symbolically at every sample; give them room. */
const TIMEOUT = 240_000;

const corpus = readdirSync(DIR).filter((f) => f.endsWith('.md')).sort();
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');

const check = (text: string, name: string): FileResult => checkProof(parseProof(text, `proofs/${name}`), { seed: SEED });
const allResults = (r: FileResult): StepResult[] => [...r.steps, ...(r.claim ? [r.claim] : [])];
const refutedLines = (r: FileResult) => allResults(r).filter((s) => s.verdict === 'refuted').map((s) => s.line);

describe('the proof corpus', () => {
  it('has the ten topic files, each with wrong twins', () => {
    expect(corpus).toEqual(Object.keys(TWINS).sort());
    for (const twins of Object.values(TWINS)) expect(twins.length).toBeGreaterThanOrEqual(2);
  });

  for (const name of corpus) {
    describe(name, () => {
      const text = read(name);

      it('parses and names only declared things; has a title, a source, givens, a claim, prose and justified chains', () => {
        const pf = parseProof(text, `proofs/${name}`);
        expect(() => checkNames(pf)).not.toThrow();
        expect(pf.title.length).toBeGreaterThan(10);
        expect(pf.source).toBeTruthy();
        expect(pf.given.length).toBeGreaterThan(0);
        expect(pf.claim).toBeDefined();
        expect(pf.prose.length).toBeGreaterThan(0);
        expect(pf.chains.length).toBeGreaterThan(0);
        for (const c of pf.chains) for (const s of c.steps) expect(s.justification, `${name}:${s.line} has no justification`).toBeTruthy();
      });

      it('checks valid: no step refuted, none in error', () => {
        const r = check(text, name);
        const bad = allResults(r).filter((s) => !['proved', 'certified', 'sampled'].includes(s.verdict));
        expect(bad.map((s) => `${s.line}: ${s.verdict} ${s.message ?? ''}`)).toEqual([]);
        expect(r.error).toBeUndefined();
        expect(r.verdict).toBe('valid');
        expect(r.claim?.established, r.claim?.establishedNote).toBe(true);
      }, TIMEOUT);

      for (const twin of TWINS[name] ?? []) {
        it(`wrong twin (${twin.what}) is refuted at exactly the changed line`, () => {
          const { text: wrong, line } = makeTwin(text, twin, name);
          const r = check(wrong, name);
          expect(r.verdict).toBe('refuted');
          expect(refutedLines(r)).toEqual([line]);
          const step = allResults(r).find((s) => s.line === line)!;
          expect(step.counterexample).toBeDefined();
        }, TIMEOUT);
      }
    });
  }
});
