/**
 * Theorem files (docs/theorem-format.md): Markdown with YAML front matter in
 * the proof format's language (its `given` declarations, parsed by the proof
 * parser; mathjs expressions through src/methods/expression.ts). A file states
 * a method as update rules, its assumptions, and one bound; it becomes a
 * catalogue Theorem whose algorithm is the compiled method, so every command
 * treats it like a built-in entry. Every error names file:line and the fix.
 */
import type { MathNode } from 'mathjs';
import { LineCounter, parseDocument, isMap, isScalar, isSeq, type Node as YamlNode, type Pair } from 'yaml';
import { FAMILIES, familyById, huberWorstCase, quadraticFromSpectrum, spectrum, type QuadraticParams } from '../classes/index.ts';
import { CLASS_CONSTANT } from '../classes/types.ts';
import { makeRng } from '../numeric/rng.ts';
import { closest } from '../language/closest.ts';
import { describeMethod, type Method, type ProxTerm, type RuleText } from '../methods/describe.ts';
import { parseUserExpression } from '../methods/expression.ts';
import { referenceObstacle } from '../methods/float64.ts';
import { MATH_CONSTANTS, parseGiven, plainSymbols, type Given } from '../language/given.ts';
import { ProofError } from '../language/usage.ts';
import type { StructuralAssumption, Theorem } from '../theorems/types.ts';
import { OBSERVABLE_TEX } from '../language/observables.ts';
import { toleranceKind } from '../engine/precision.ts';

export const THEOREM_FILE_KEYS = [
  'id', 'title', 'source', 'given', 'define', 'structure', 'nonsmooth', 'method', 'iterate', 'bound', 'from',
  'families', 'witnesses', 'ranges', 'plant', 'tight', 'notes',
] as const;

const STRUCTURES: readonly StructuralAssumption[] = ['L2-regularized', 'stochastic-gradient', 'convex-samples', 'interpolation'];


/** Constants each structural assumption brings (src/verify/scope.ts constantsOf). */
const STRUCTURE_CONSTANTS: Readonly<Record<StructuralAssumption, readonly string[]>> = {
  'L2-regularized': ['lambda'], 'stochastic-gradient': ['M', 'MV', 'sigma2star'], 'convex-samples': ['Lmax'], interpolation: [],
};

/** What a bound may use besides constants and parameters: the run's observables and start values. */
export const BOUND_SYMBOLS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.keys(OBSERVABLE_TEX).map((k) => [k, OBSERVABLE_TEX[k as keyof typeof OBSERVABLE_TEX]])),
  t: 'the step', R: '‖x_0 − x*‖', Delta0: 'f(x_0) − f*', fstar: 'f*', d: 'the dimension',
};

/** Tight witnesses computed from the run length (as the catalogue's). */
const WITNESS_BUILDERS: Readonly<Record<string, { family: string; keys: readonly string[]; build: (a: Record<string, number>, steps: number) => Record<string, unknown> }>> = {
  'huber-worst-case': { family: 'huber', keys: ['L', 'R', 'h'], build: (a, steps) => huberWorstCase(a.L, a.R, steps, a.h) as unknown as Record<string, unknown> },
  'binary-target-quadratic': { family: 'quadratic', keys: ['d', 'mu', 'L', 'seed'], build: (a) => binaryTargetQuadratic(a.d, a.mu, a.L, a.seed) as unknown as Record<string, unknown> },
};

/**
 * A separable (diagonal) quadratic whose minimiser is a binary point x* ∈ {±1}^d
 * and whose start lies in x*'s orthant inside the box: x0_j = x*_j·u_j, u_j in
 * (0, 1]. The setting of theorems/askewsgd-binary-target.md; spectrum uniform in
 * [mu, L] with both ends, signs and u drawn from `seed`.
 */
export function binaryTargetQuadratic(d: number, mu: number, L: number, seed: number): QuadraticParams {
  if (!(Number.isInteger(d) && d >= 1)) throw new Error(`binary-target-quadratic: d must be a whole number ≥ 1, got ${d}`);
  const rng = makeRng(seed);
  const xstar = Array.from({ length: d }, () => (rng.next() < 0.5 ? -1 : 1));
  const x0 = xstar.map((s) => s * (1 - rng.next()));
  return quadraticFromSpectrum(spectrum(d, mu, L, 'uniform', seed + 1), { rotationSeed: null, xstar, x0, fstar: 0 });
}

export interface TheoremFile {
  file: string;
  theorem: Theorem;
  method: Method;
  /** The optimiser id the method is registered under (src/theoremFiles/load.ts). */
  optimizer: string;
  /** Line of each constraint's source, to point a domain error at the file. */
  constraintLines: Record<string, number>;
  /** Markdown after the front matter. */
  prose: string;
}

/** Parse a theorem file's text (no registration: see load.ts). */
export function parseTheoremFile(text: string, file: string, optimizerId: string): TheoremFile {
  const lines = text.split(/\r?\n/);
  const err = (line: number, detail: string) => new ProofError(file, line, detail);
  if (lines[0]?.trim() !== '---') throw err(1, 'a theorem file starts with front matter: a line `---`, YAML (title, given, method, bound), and a closing `---`');
  const close = lines.findIndex((l, i) => i > 0 && (l.trim() === '---' || l.trim() === '...'));
  if (close < 0) throw err(1, 'the front matter opened by `---` on line 1 is never closed; add a line `---` after it');
  const yamlText = lines.slice(1, close).join('\n');
  const lc = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lc, uniqueKeys: true });
  const lineOf = (node: { range?: [number, number, number] | null } | null | undefined, fallback = 0): number =>
    node?.range ? lc.linePos(node.range[0]).line + 1 : fallback + 1;
  if (doc.errors.length) throw err((doc.errors[0].linePos?.[0].line ?? 1) + 1, `invalid YAML in the front matter: ${doc.errors[0].message.split('\n')[0]}`);
  const root = doc.contents;
  if (!isMap(root)) throw err(2, 'the front matter must be a YAML map (`title: ...`, `given: ...`)');

  const entries = new Map<string, { line: number; value: YamlNode | null }>();
  for (const pair of root.items as Pair[]) {
    const key = isScalar(pair.key) ? String((pair.key as { value: unknown }).value) : '';
    const line = lineOf(pair.key as YamlNode);
    if (!(THEOREM_FILE_KEYS as readonly string[]).includes(key)) {
      throw err(line, `unknown front-matter key '${key}'${closest(key, THEOREM_FILE_KEYS)}; the keys are ${THEOREM_FILE_KEYS.join(', ')}`);
    }
    entries.set(key, { line, value: pair.value as YamlNode | null });
  }
  const text1 = (key: string, required: boolean): { text: string; line: number } | undefined => {
    const e = entries.get(key);
    if (!e) {
      if (required) throw err(2, `the front matter has no \`${key}:\`; ${REQUIRED_HINT[key] ?? 'add it'}`);
      return undefined;
    }
    const v = e.value;
    const s = isScalar(v) && v.value !== null ? (typeof v.value === 'string' ? v.value : String(v.source ?? v.value)) : null;
    if (s === null || s.trim() === '') throw err(e.line, `\`${key}:\` must be one line of text`);
    return { text: s.trim(), line: e.line };
  };
  const list = (key: string): { node: YamlNode; line: number }[] => {
    const e = entries.get(key);
    if (!e || e.value === null) return [];
    if (!isSeq(e.value)) throw err(e.line, `\`${key}:\` must be a list (one \`- item\` per line)`);
    return (e.value.items as YamlNode[]).map((node) => ({ node, line: lineOf(node, e.line - 1) }));
  };
  const map = (key: string): { key: string; node: YamlNode | null; line: number }[] => {
    const e = entries.get(key);
    if (!e || e.value === null) return [];
    if (!isMap(e.value)) throw err(e.line, `\`${key}:\` must be a map, one \`name: value\` per line`);
    return (e.value.items as Pair[]).map((p) => ({ key: String((p.key as { value: unknown }).value), node: p.value as YamlNode | null, line: lineOf(p.key as YamlNode, e.line - 1) }));
  };
  const scalarOf = (node: YamlNode | null, line: number, what: string): string => {
    if (isScalar(node) && node.value !== null) return typeof node.value === 'string' ? node.value : String(node.source ?? node.value);
    throw err(line, `${what} must be one expression on one line`);
  };

  const title = text1('title', true)!.text;
  const source = text1('source', false)?.text ?? file;
  // A file's id is its path unless it names one: unique, and it says where the theorem lives.
  const id = text1('id', false)?.text ?? file;

  // given: one objective f with classes, scalar constraints.
  const givens: Given[] = list('given').map(({ node, line }) => {
    const s = isScalar(node) && typeof node.value === 'string' ? node.value
      : isMap(node) && node.items.length === 1 ? `${String(((node.items[0] as Pair).key as { value: unknown }).value)}: ${String((((node.items[0] as Pair).value) as { source?: string; value?: unknown })?.source ?? (((node.items[0] as Pair).value) as { value?: unknown })?.value)}`
        : null;
    if (s === null) throw err(line, 'each `given` entry is one declaration on one line, e.g. `- 0 < gamma <= 1/L` or `- f: R^d -> R, convex, L-smooth`');
    return parseGiven(s, line, file);
  });
  const functions = givens.filter((g) => g.kind === 'function');
  if (functions.length !== 1) {
    throw err(functions[1]?.line ?? entries.get('given')?.line ?? 2, functions.length === 0
      ? 'declare the objective in `given`, e.g. `- f: R^d -> R, convex, L-smooth` (its classes are the assumptions)'
      : 'a theorem file has one objective; declare one function in `given` (a nonsmooth term goes under `nonsmooth:`)');
  }
  const objective = functions[0] as Extract<Given, { kind: 'function' }>;
  if (objective.domain !== 'd') throw err(objective.line, `the objective's domain is R^d (witnesses come in several dimensions); write \`${objective.name}: R^d -> R, ...\``);
  const classes = objective.classes.map((c) => {
    const want = CLASS_CONSTANT[c.className];
    if (want && c.constant !== want) throw err(objective.line, `the constant of ${c.text} is named ${want} in theorem files (the witness's certificate provides it); write ${want}-${c.text.replace(/^[A-Za-z_]\w*-/, '')}`);
    return c.className;
  });
  for (const g of givens) if (g.kind === 'type') throw err(g.line, `\`${g.source}\`: a theorem file declares no points; the method's sequences are its vectors and x0 is the witness's starting point`);

  const structural = list('structure').map(({ node, line }) => {
    const s = scalarOf(node, line, 'a structure entry');
    if (!(STRUCTURES as readonly string[]).includes(s)) throw err(line, `unknown structure '${s}'${closest(s, STRUCTURES)}; the structures are ${STRUCTURES.join(', ')}`);
    return s as StructuralAssumption;
  });
  const constants = new Set(['fstar', 'd', ...classes.flatMap((c) => CLASS_CONSTANT[c] ?? []), ...structural.flatMap((s) => STRUCTURE_CONSTANTS[s])]);

  // Parameters: the constraints' names that are not constants.
  const constraints: string[] = [];
  const constraintLines: Record<string, number> = {};
  const parameters = new Set<string>();
  for (const g of givens) {
    if (g.kind !== 'constraint') continue;
    // The given parser read the relation; it is re-read through the one expression entry point.
    parseUserExpression(g.relation.terms.map((t, i) => (i === 0 ? t.source : ` ${g.relation.relations[i - 1]} ${t.source}`)).join(''), file, g.line, 'constraint');
    for (const s of plainSymbols(g.relation.node)) if (!constants.has(s) && !MATH_CONSTANTS.includes(s)) parameters.add(s);
    constraints.push(g.source);
    constraintLines[g.source] = g.line;
  }
  const derived: Record<string, string> = {};
  for (const { key, node, line } of map('define')) {
    if (!/^[A-Za-z_]\w*$/.test(key)) throw err(line, `define '${key}': a theorem file defines parameters by name (\`gamma: 1/L\`); sequences belong under \`method:\``);
    const expr = scalarOf(node, line, `define ${key}`);
    checkSymbols(parseUserExpression(expr, file, line, `definition of ${key}`), [...constants, ...parameters, ...Object.keys(derived)], line, `the definition of ${key}`, SCALAR_FUNCTIONS);
    if (constants.has(key)) throw err(line, `'${key}' is a constant of the witnesses; a define needs a new name`);
    parameters.delete(key);
    derived[key] = expr;
  }
  const scalars = [...constants, ...parameters, ...Object.keys(derived)];

  const proxes: Record<string, ProxTerm> = {};
  for (const { key, node, line } of map('nonsmooth')) {
    const s = scalarOf(node, line, `nonsmooth ${key}`);
    const m = /^(l1|box)\(\s*([^)]*)\)$/.exec(s.trim());
    const args = m ? m[2].split(',').map((a) => a.trim()).filter(Boolean) : [];
    if (!m || args.length !== (m[1] === 'l1' ? 1 : 2)) throw err(line, `nonsmooth ${key}: write l1(weight) for weight·‖x‖₁ or box(lo, hi) for the indicator of [lo, hi]^d`);
    for (const a of args) if (!scalars.includes(a)) throw err(line, `nonsmooth ${key}: '${a}' is not a declared scalar${closest(a, scalars)}; declare it in \`given\``);
    proxes[key] = { kind: m[1] as 'l1' | 'box', args };
  }

  const rules: RuleText[] = map('method').map(({ key, node, line }) => ({ key, text: scalarOf(node, line, `the rule ${key}`), line }));
  if (rules.length === 0) throw err(entries.get('method')?.line ?? 2, 'the front matter has no `method:`; add the update rules, e.g. `"x(0)": x0` and `"x(k+1)": x(k) - gamma * grad(f, x(k))`');
  const method = describeMethod(rules, { file, scalars, objective: objective.name, iterate: text1('iterate', false)?.text, proxes });
  const first = rules.find((r) => r.key.replace(/\s+/g, '') === `${method.iterate}(0)`)!;
  if (method.sequences.find((s) => s.name === method.iterate)!.initial.op !== 'x0') {
    throw err(first.line, `the iterate ${method.iterate} starts at the witness's starting point: write "${method.iterate}(0)": x0`);
  }

  // The bound: one relation, quantity <= bound.
  const boundEntry = text1('bound', true)!;
  let boundNode = parseUserExpression(boundEntry.text, file, boundEntry.line, 'bound');
  boundNode = boundNode.transform((n) => (isCall(n, 'fstar') ? parseUserExpression('fstar', file, boundEntry.line, 'bound') : n));
  // A step-size schedule of the method (a host scalar sequence) may appear in the bound as name(t) or name(t - j).
  const boundSequences: Record<string, { start: number; at: number; next: string }> = {};
  boundNode = boundNode.transform((n) => {
    const seq = n.type === 'FunctionNode' ? method.sequences.find((q) => q.type === 'scalar' && isCall(n, q.name)) : undefined;
    if (!seq) return n;
    const arg = (n as unknown as { args: MathNode[] }).args.map((a) => a.toString().replace(/\s+/g, '')).join(',');
    const m = /^t(?:-(\d+))?$/.exec(arg);
    if (!m) throw err(boundEntry.line, `the bound uses ${seq.name}(${arg}); a schedule appears in the bound at t or t - j, as in ${seq.name}(t)`);
    boundSequences[`${seq.name}_t`] = scheduleInBound(seq, m[1] ? Number(m[1]) : 0);
    return parseUserExpression(`${seq.name}_t`, file, boundEntry.line, 'bound');
  });
  const rel = relationParts(boundNode);
  if (!rel || rel.op !== 'smallerEq') throw err(boundEntry.line, 'the bound is one relation `quantity <= bound`, e.g. `f_t - fstar <= R^2 / (2 * gamma * t)`');
  const expectation = isCall(rel.lhs, 'E');
  if (expectation !== method.stochastic) {
    throw err(boundEntry.line, method.stochastic
      ? 'the method draws stochastic gradients (sgrad): the bound is in expectation, written E(quantity) <= bound'
      : 'E(...) bounds a stochastic method; the method has no sgrad, so write the quantity without E');
  }
  const inner = expectation ? (rel.lhs as unknown as { args: MathNode[] }).args[0] : rel.lhs;
  checkSymbols(boundNode, [...scalars, ...Object.keys(BOUND_SYMBOLS), ...Object.keys(boundSequences)], boundEntry.line, 'the bound', ['E', ...SCALAR_FUNCTIONS]);
  try {
    toleranceKind(inner);
  } catch {
    throw err(boundEntry.line, `the left side "${inner.toString()}" must be built from the run's observables ${['f_t', 'dist_t', 'grad2_t', 'mingrad2_t', 'avggrad2_t'].join(', ')} (with fstar, f_0 and constants)`);
  }
  if (!expectation) {
    const why = referenceObstacle(method);
    if (why) throw err(first.line, `the method cannot be checked on float32 runs: ${why}`);
  }

  const fromEntry = entries.get('from');
  let from: number | undefined;
  if (fromEntry) {
    const v = isScalar(fromEntry.value) ? fromEntry.value.value : undefined;
    if (!(typeof v === 'number' && Number.isInteger(v) && v >= 0)) throw err(fromEntry.line, '`from:` is the first step checked, an integer ≥ 0 (1 for a bound that divides by t)');
    from = v;
  }
  const families = list('families').map(({ node, line }) => {
    const s = scalarOf(node, line, 'a family id');
    if (!familyById(s)) throw err(line, `unknown family '${s}'${closest(s, FAMILIES.map((f) => f.id))}; boundlab list shows the families`);
    return s;
  });
  const ranges: Record<string, [number, number]> = {};
  for (const { key, node, line } of map('ranges')) {
    const v = isSeq(node) ? (node.items as YamlNode[]).map((i) => (isScalar(i) ? i.value : NaN)) : [];
    if (v.length !== 2 || !v.every((x) => typeof x === 'number' && Number.isFinite(x)) || !((v[0] as number) < (v[1] as number))) throw err(line, `range of ${key}: write [lo, hi] with lo < hi`);
    if (!parameters.has(key)) throw err(line, `range of '${key}': not a parameter of the theorem (its parameters: ${[...parameters].join(', ') || 'none'})`);
    ranges[key] = v as [number, number];
  }
  const witnesses = list('witnesses').map(({ node, line }) => witnessEntry(node, line));
  if (entries.has('families') && families.length === 0 && witnesses.length === 0) {
    throw err(entries.get('families')!.line, '`families: []` leaves no witness to run on; list families, or add witnesses under `witnesses:`');
  }
  const planted = plantEntry();

  const theorem: Theorem = {
    id, title, source,
    kind: expectation ? 'expectation' : 'run',
    classes,
    ...(structural.length ? { structural } : {}),
    constraints,
    ...(Object.keys(derived).length ? { derived } : {}),
    ...(Object.keys(ranges).length ? { ranges } : {}),
    algorithm: { optimizer: optimizerId, hyper: Object.fromEntries(method.parameters.map((p) => [p, p])) },
    statement: boundNode.toString(),
    ...(Object.keys(boundSequences).length ? { sequences: boundSequences } : {}),
    ...(from !== undefined ? { from } : {}),
    // `families: []` says: no random witnesses, only those under `witnesses:` (a setting no family's draws fit)
    ...(entries.has('families') ? { families } : {}),
    ...(witnesses.length ? { witnesses: ({ steps }: { steps: number }) => witnesses.map((w) => w(steps)) } : {}),
    planted,
    ...(text1('tight', false) ? { tight: text1('tight', false)!.text } : {}),
    ...(text1('notes', false) ? { notes: text1('notes', false)!.text } : {}),
  };
  return { file, theorem, method, optimizer: optimizerId, constraintLines, prose: lines.slice(close + 1).join('\n') };

  /**
   * A schedule seq(t − j) as the catalogue's bound sequence: its value at 0 for t ≤ j, then its
   * update applied once per step. Only a schedule that starts at a number and whose update uses
   * itself at k and the parameters fits that form.
   */
  function scheduleInBound(seq: Method['sequences'][number], lag: number): { start: number; at: number; next: string } {
    const why = `the bound uses the schedule ${seq.name}: it must be a scalar sequence that starts at a number and whose update uses only ${seq.name}(k) and parameters`;
    if (!seq.host || seq.initial.op !== 'num') throw err(boundEntry.line, why);
    const next = parseUserExpression(seq.updateText, file, seq.updateLine, `update of ${seq.name}`).transform((n) => {
      if (n.type === 'FunctionNode' && isCall(n, seq.name)) {
        if ((n as unknown as { args: MathNode[] }).args.map((a) => a.toString().replace(/\s+/g, '')).join(',') !== 'k') throw err(boundEntry.line, why);
        return parseUserExpression(`${seq.name}_t`, file, seq.updateLine, 'bound');
      }
      if (n.type === 'FunctionNode' && method.sequences.some((q) => isCall(n, q.name))) throw err(boundEntry.line, why);
      if (n.type === 'SymbolNode' && (n as unknown as { name: string }).name === 'k') throw err(boundEntry.line, why);
      return n;
    });
    return { start: seq.initial.value, at: lag, next: next.toString() };
  }

  function checkSymbols(node: MathNode, known: readonly string[], line: number, what: string, fns: readonly string[] = []): void {
    node.traverse((n, path, parent) => {
      if (n.type === 'FunctionNode') {
        const name = (n as unknown as { fn: { name: string } }).fn.name;
        if (!fns.includes(name)) throw err(line, `${what} calls '${name}'${closest(name, fns)}; ${fns.length ? `it may call ${fns.join(', ')}` : 'it may not call functions'}`);
      }
      if (n.type !== 'SymbolNode' || (parent?.type === 'FunctionNode' && path === 'fn')) return;
      const name = (n as unknown as { name: string }).name;
      if (!known.includes(name) && !['pi', 'e'].includes(name)) {
        throw err(line, `${what} uses the unknown symbol '${name}'${closest(name, known)}; it may use ${[...new Set(known)].join(', ')}`);
      }
    });
  }

  function witnessEntry(node: YamlNode, line: number): (steps: number) => { family: string; params: Record<string, unknown>; set?: Record<string, number> } {
    if (!isMap(node)) throw err(line, 'a witness is a map: `family:` with `params:`, or a builder such as `huber-worst-case: { L: 1, R: 1, h: 1 }`; optionally `set:`');
    const obj = node.toJSON() as Record<string, unknown>;
    const set = obj.set as Record<string, number> | undefined;
    for (const k of Object.keys(set ?? {})) if (!parameters.has(k)) throw err(line, `witness set: '${k}' is not a parameter of the theorem (its parameters: ${[...parameters].join(', ') || 'none'})`);
    const builder = Object.keys(obj).find((k) => k in WITNESS_BUILDERS);
    if (builder) {
      const b = WITNESS_BUILDERS[builder];
      const args = obj[builder] as Record<string, number>;
      for (const k of b.keys) if (typeof args?.[k] !== 'number') throw err(line, `${builder} takes { ${b.keys.map((k) => `${k}: number`).join(', ')} }`);
      return (steps) => ({ family: b.family, params: b.build(args, steps), ...(set ? { set } : {}) });
    }
    const family = familyById(String(obj.family ?? ''));
    if (!family) throw err(line, `witness family '${String(obj.family)}'${closest(String(obj.family), FAMILIES.map((f) => f.id))} is unknown; or use a builder (${Object.keys(WITNESS_BUILDERS).join(', ')})`);
    try {
      family.instantiate(obj.params as Record<string, unknown>);
    } catch (e) {
      throw err(line, `the witness's params do not make a ${family.id} instance: ${(e as Error).message}`);
    }
    return () => ({ family: family.id, params: obj.params as Record<string, unknown>, ...(set ? { set } : {}) });
  }

  function plantEntry(): Theorem['planted'] {
    const e = entries.get('plant');
    if (!e) return { faster: { t: '2 * t' }, note: 'the default plant of a theorem file: the rate at twice the steps' };
    const obj = (e.value && isMap(e.value) ? e.value.toJSON() : null) as { scale?: unknown; faster?: unknown; note?: unknown } | null;
    if (!obj || (obj.scale !== undefined && typeof obj.scale !== 'number') || (obj.faster !== undefined && (typeof obj.faster !== 'object' || obj.faster === null))) {
      throw err(e.line, '`plant:` is a map: `scale: 0.5` (the bound tightened) and `faster: { mu: 2 * mu }` (symbols substituted in the bound)');
    }
    const faster = Object.fromEntries(Object.entries((obj.faster ?? { t: '2 * t' }) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    for (const v of Object.values(faster)) parseUserExpression(v, file, e.line, 'a planted substitution');
    return { ...(obj.scale !== undefined ? { scale: obj.scale as number } : {}), faster, ...(obj.note ? { note: String(obj.note) } : {}) };
  }
}

/** Functions a definition or a bound may call (scalars only). */
const SCALAR_FUNCTIONS = ['exp', 'sqrt', 'log', 'max', 'min', 'abs'];

const REQUIRED_HINT: Record<string, string> = {
  title: 'add one line `title: what the theorem says`',
  bound: 'add the bound, e.g. `bound: f_t - fstar <= R^2 / (2 * gamma * t)`',
};

function isCall(n: MathNode, name: string): boolean {
  return n.type === 'FunctionNode' && (n as unknown as { fn: { name: string } }).fn.name === name;
}

function relationParts(node: MathNode): { op: string; lhs: MathNode; rhs: MathNode } | null {
  const n = node as unknown as { type: string; fn: string; args: MathNode[]; conditionals: string[]; params: MathNode[] };
  if (node.type === 'OperatorNode' && ['smallerEq', 'largerEq', 'smaller', 'larger', 'equal'].includes(n.fn)) return { op: n.fn, lhs: n.args[0], rhs: n.args[1] };
  if (node.type === 'RelationalNode' && n.conditionals.length === 1) return { op: n.conditionals[0], lhs: n.params[0], rhs: n.params[1] };
  return null;
}
