/**
 * Re-runs every entry of regressions/relaxations.yaml and prints outcome and
 * time; with --write, stores each search's counterexample record in the file
 * (comments and notes kept), after a deliberate change to the search.
 *   npx tsx scripts/relaxations.ts [--write]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { theoremById } from '../src/theorems/index.ts';
import { relax } from '../src/search/relax.ts';
import { describeEntry, readRelaxations, RELAXATIONS_FILE, storedRecord } from '../src/search/regressions.ts';

const write = process.argv.includes('--write');
const doc = parseDocument(readFileSync(RELAXATIONS_FILE, 'utf8'));
for (const [i, e] of readRelaxations().entries()) {
  const r = await relax(theoremById(e.theorem)!, { drop: e.drop, add: e.add, seed: e.seed });
  const mark = r.verdict === e.expect ? 'ok ' : 'CHANGED';
  console.log(`${mark} ${describeEntry(e).padEnd(70)} ${r.verdict.padEnd(15)} ${r.seconds.toFixed(1)} s`);
  const record = storedRecord(r);
  if (write) {
    if (record) doc.setIn(['relaxations', i, 'counterexample'], doc.createNode(record, { flow: false }));
    else doc.deleteIn(['relaxations', i, 'counterexample']);
    doc.setIn(['relaxations', i, 'expect'], r.verdict === 'inconclusive' ? e.expect : r.verdict);
  }
}
if (write) {
  writeFileSync(RELAXATIONS_FILE, doc.toString({ lineWidth: 0, flowCollectionPadding: false }));
  console.log(`wrote ${RELAXATIONS_FILE}`);
}
