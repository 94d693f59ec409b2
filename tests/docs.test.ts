/** The docs under docs/ that are made from the code say what the code says now; nothing points outside the repository. */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { commandReference, theoremCatalogue } from '../src/cli/docs.ts';
import { PL_STEP } from './fixtures/proofs.ts';

describe('docs/', () => {
  it('commands.md is every command\'s --help as it is now (npx tsx scripts/docs.ts remakes it)', async () => {
    expect(readFileSync('docs/commands.md', 'utf8')).toBe(await commandReference());
  });

  it('theorems.md is the catalogue as it is now', () => {
    expect(readFileSync('docs/theorems.md', 'utf8')).toBe(theoremCatalogue());
  });

  it('proof-format.md shows the example the tests check, as it is written there', () => {
    const doc = readFileSync('docs/proof-format.md', 'utf8');
    expect(/````markdown\n([\s\S]*?)````\n/.exec(doc)![1]).toBe(PL_STEP);
  });

  it('no file of the project points at notes outside the repository', () => {
    const hits: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        if (['node_modules', '.git', 'reports'].includes(name)) continue;
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|mts|mjs|md|json|yaml|ipynb|sh)$/.test(name) && /\.\.\/shared\/|\b(PROOF-FORMAT|THEOREMS|DESIGN|QNN|STYLE)\.md\b/.test(readFileSync(p, 'utf8'))) hits.push(p);
      }
    };
    walk('.');
    expect(hits).toEqual([]);
  });
});
