/**
 * `boundlab list`: theorems, families, optimisers, and the engine backend.
 * It reads names only, so it starts neither TensorFlow.js (src/engine/tfjs.ts loads it
 * on first use; expectedBackend() knows the backend from what is installed) nor, without
 * --json, mathjs (only the JSON carries each statement's TeX, which needs its parse).
 */
import { FAMILIES } from '../classes/index.ts';
import { expectedBackend } from '../engine/backend.ts';
import { OPTIMIZERS } from '../optimizers/index.ts';
import { THEOREMS } from '../theorems/index.ts';
import { assumptionsOf } from '../theorems/types.ts';
import { helpText, parseArgs, type OptionSpec } from './args.ts';
import { UsageError } from '../language/usage.ts';

const OPTIONS: OptionSpec[] = [];

export const LIST_HELP = helpText(
  'boundlab list [--json]',
  'Lists the theorem catalogue (id, title, assumptions, source), the witness families\nwith their classes, the optimisers, and the TensorFlow.js backend in use.',
  OPTIONS,
);

// The names `boundlab relax --drop` takes (src/theorems/types.ts).
export { assumptionsOf };

export async function listCommand(argv: readonly string[]): Promise<number> {
  const { positional, options } = parseArgs('list', argv, OPTIONS);
  if (options.help) { process.stdout.write(LIST_HELP); return 0; }
  if (positional.length) throw new UsageError(`list: takes no arguments, got '${positional.join(' ')}'; see boundlab list --help`);
  const backend = await expectedBackend();
  // The TeX of each statement (JSON only) is the one field that needs mathjs's parse.
  const tex = options.json ? (await import('../language/statement.ts')).parseStatement : undefined;
  const theorems = THEOREMS.map((th) => ({
    id: th.id, title: th.title, kind: th.kind, assumptions: assumptionsOf(th),
    statement: th.statement, ...(tex ? { tex: tex(th.statement).tex } : {}), source: th.source,
    ...(th.algorithm ? { algorithm: th.algorithm } : {}),
  }));
  const families = FAMILIES.map((f) => ({ id: f.id, title: f.title, classes: f.classes, dims: f.dims ?? 'any' }));
  const optimizers = OPTIMIZERS.map((o) => ({
    id: o.id, title: o.title, implementation: o.implementation, hyper: o.hyper.map((h) => h.name), uniform: o.uniform,
    // Categorical hyperparameters: name → the choices its value indexes.
    choices: Object.fromEntries(o.hyper.flatMap((h) => (h.choices ? [[h.name, h.choices]] : []))) as Record<string, readonly string[]>,
  }));
  if (options.json) {
    process.stdout.write(JSON.stringify({ backend, theorems, families, optimizers }, null, 2) + '\n');
    return 0;
  }
  const out: string[] = [`backend: ${backend}`, '', 'theorems:'];
  const w = Math.max(...theorems.map((t) => t.id.length));
  for (const t of theorems) {
    out.push(`  ${t.id.padEnd(w)}  ${t.title}`);
    out.push(`  ${''.padEnd(w)}  assumes ${t.assumptions.join(', ') || 'nothing'}; ${t.source}`);
  }
  out.push('', 'families:');
  const fw = Math.max(...families.map((f) => f.id.length));
  for (const f of families) out.push(`  ${f.id.padEnd(fw)}  ${f.title} [${f.classes.join(', ')}]`);
  out.push('', 'optimizers:');
  const ow = Math.max(...optimizers.map((o) => o.id.length));
  const hyperText = (o: (typeof optimizers)[number]) =>
    o.hyper.map((h) => (o.choices[h]?.length ? `${h} ∈ {${o.choices[h].map((c, i) => `${i} ${c}`).join(', ')}}` : h)).join(', ');
  for (const o of optimizers) out.push(`  ${o.id.padEnd(ow)}  ${o.title} (${o.implementation}; ${hyperText(o) || 'no hyperparameters'})`);
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}
