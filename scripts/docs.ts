/**
 * Writes the reference pages made from the code: docs/commands.md (every
 * command's --help) and docs/theorems.md (the catalogue).
 *   npx tsx scripts/docs.ts
 */
import { writeFileSync } from 'node:fs';
import { commandReference, theoremCatalogue } from '../src/cli/docs.ts';

writeFileSync('docs/commands.md', await commandReference());
writeFileSync('docs/theorems.md', theoremCatalogue());
console.log('wrote docs/commands.md and docs/theorems.md');
