/**
 * The corpus's mutation score: of the wrong variants of each step that are not
 * implied by it, at least 90 % are refuted, per file and over the corpus.
 * Measured with the default number of samples, as `boundlab mutate` runs.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseProof } from '../src/proofs/parse.ts';
import { mutateProof, type MutationReport } from '../src/proofs/mutate.ts';

const DIR = join(import.meta.dirname, '..', 'proofs');
const SEED = Number(process.env.BOUNDLAB_TEST_SEED ?? 20261123);
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.md')).sort();

describe('mutation score of the corpus', () => {
  const reports: MutationReport[] = [];
  for (const name of FILES) {
    it(`${name}: at least 90 % of the counted mutants are refuted`, () => {
      const r = mutateProof(parseProof(readFileSync(join(DIR, name), 'utf8'), name), { seed: SEED });
      reports.push(r);
      const survivors = r.results.filter((m) => m.verdict !== 'refuted' && !m.implied).map((m) => `line ${m.line} ${m.operator}: ${m.description}`);
      expect(r.mutants - r.implied - r.errors, 'some mutants are counted').toBeGreaterThan(0);
      expect(r.score, `survivors:\n${survivors.join('\n')}`).toBeGreaterThanOrEqual(0.9);
    });
  }
  it('over the whole corpus too', () => {
    expect(reports).toHaveLength(FILES.length);
    const killed = reports.reduce((s, r) => s + r.killed, 0);
    const counted = reports.reduce((s, r) => s + r.mutants - r.implied - r.errors, 0);
    expect(killed / counted).toBeGreaterThanOrEqual(0.9);
  });
});
