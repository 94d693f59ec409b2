/**
 * Parse a proof file (docs/proof-format.md) into a typed ProofFile: front matter
 * (title, source, given, define, claim, samples, tolerance), every ```chain
 * block with its steps, and the prose around them. Every given, define entry,
 * claim and chain line keeps its 1-based line number in the file; every error
 * is a ProofError naming `file:line` and what to change.
 */
import { LineCounter, parseDocument, isMap, isScalar, isSeq, type Node as YamlNode, type Pair } from 'yaml';
import { closest } from '../language/closest.ts';
import { ProofError } from '../language/usage.ts';
import { MATH_CONSTANTS, NORMAL, REL_RE, parseExpr, parseGiven, parseRelation, plainSymbols, type Expr, type Given, type Rel, type Relation } from '../language/given.ts';
// The statement language's pieces, read by theorem files and the catalogue too (src/language/given.ts).
export { ProofError };
export { CLASS_FORMS_TEXT, MATH_CONSTANTS, parseExpr, parseGiven, parseRelation, plainSymbols } from '../language/given.ts';
export type { Expr, FunctionClass, Given, Rel, Relation, TypeName } from '../language/given.ts';

/**
 * The title of a file that cannot be parsed, read from its `title:` line (so
 * that an error result still says which derivation it is); '' when none.
 */
export function titleOf(text: string): string {
  const lines = text.split(/\r?\n/, 200);
  if (lines[0]?.trim() !== '---') return '';
  for (const line of lines.slice(1)) {
    if (line.trim() === '---' || line.trim() === '...') break;
    const m = /^title:\s*(.*?)\s*$/.exec(line);
    if (m) return m[1].replace(/^(["'])(.*)\1$/, '$2');
  }
  return '';
}

export type Define =
  | { kind: 'value'; name: string; key: string; line: number; expr: Expr }
  | {
    kind: 'sequence';
    name: string;
    line: number;
    /** base cases: index -> expression */
    bases: { index: number; key: string; line: number; expr: Expr }[];
    /** `name(var + offset)`: the value at n is expr with var = n - offset */
    step?: { variable: string; offset: number; key: string; line: number; expr: Expr };
  };

export type ChainStep = { line: number; relation: Rel; expr: Expr; justification?: string };

export interface Chain {
  /** line of the opening fence */
  line: number;
  first: Expr;
  steps: ChainStep[];
  /** '==' if every step is ==, else the strict or non-strict <=/>= of its steps */
  composed: Rel;
}

export interface ProofFile {
  file: string;
  title: string;
  source?: string;
  given: Given[];
  define: Define[];
  claim?: Relation;
  samples?: number;
  tolerance?: number;
  /** lines of the front-matter keys whose values a run may refuse (a sample count over its budget, a loose tolerance) */
  lines: { samples?: number; tolerance?: number };
  chains: Chain[];
  /** Markdown outside front matter and chains, one entry per contiguous stretch. */
  prose: { line: number; text: string }[];
  /** Declared names by kind (filled by the parser from the givens and defines). */
  names: DeclaredNames;
}

export interface DeclaredNames {
  /** real scalars (constraints, `x in R`) */
  reals: string[];
  /** integer scalars (`t in N`) */
  integers: string[];
  vectors: string[];
  matrices: string[];
  functions: string[];
  /** define'd values and sequences */
  defines: string[];
  sequences: string[];
  dims: readonly string[];
}

export const DIMENSION_SYMBOLS = ['d', 'n'] as const;
export const FRONT_MATTER_KEYS = ['title', 'source', 'given', 'define', 'claim', 'samples', 'tolerance'] as const;

export function parseProof(text: string, file = '<proof>'): ProofFile {
  const lines = text.split(/\r?\n/);
  const err = (line: number, detail: string) => new ProofError(file, line, detail);
  if (lines[0]?.trim() !== '---') {
    throw err(1, 'a proof file starts with front matter: a line `---`, YAML with at least `title:`, and a closing `---`');
  }
  const close = lines.findIndex((l, i) => i > 0 && (l.trim() === '---' || l.trim() === '...'));
  if (close < 0) throw err(1, 'the front matter opened by `---` on line 1 is never closed; add a line `---` after it');
  const yamlText = lines.slice(1, close).join('\n');
  const fm = parseFrontMatter(yamlText, 1, file);
  const { chains, prose } = parseBody(lines, close + 1, file);
  const result: ProofFile = { file, ...fm, chains, prose };
  if (fm.title === undefined) throw err(1, 'the front matter has no `title:`; add one line `title: what the derivation shows`');
  return result;
}

type FrontMatter = Omit<ProofFile, 'file' | 'chains' | 'prose'>;

/** `lineOffset`: the file line just before the YAML text (the opening `---`). */
function parseFrontMatter(yamlText: string, lineOffset: number, file: string): FrontMatter {
  const lc = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lc, prettyErrors: true, uniqueKeys: true });
  const err = (line: number, detail: string) => new ProofError(file, line, detail);
  const lineOf = (node: { range?: [number, number, number] | null } | null | undefined, fallback = 1): number =>
    node?.range ? lc.linePos(node.range[0]).line + lineOffset : fallback + lineOffset;
  if (doc.errors.length) {
    const e = doc.errors[0];
    const line = (e.linePos?.[0].line ?? 1) + lineOffset;
    // the yaml package counts lines from the front matter's start; ours count from the file's
    const what = e.message.split('\n')[0].replace(/\s*at line \d+, column \d+:?\s*$/, '');
    throw err(line, `invalid YAML in the front matter${e.linePos ? ` (column ${e.linePos[0].col})` : ''}: ${what}`);
  }
  const root = doc.contents;
  if (!isMap(root)) throw err(1 + lineOffset, 'the front matter must be a YAML map (`title: ...`, `given: ...`)');
  const out: FrontMatter = {
    title: undefined as unknown as string, given: [], define: [], lines: {},
    names: { reals: [], integers: [], vectors: [], matrices: [], functions: [], defines: [], sequences: [], dims: DIMENSION_SYMBOLS },
  };
  let claimPair: Pair | undefined;
  for (const pair of root.items as Pair[]) {
    const keyNode = pair.key as YamlNode;
    const key = isScalar(keyNode) ? String(keyNode.value) : '';
    const line = lineOf(keyNode);
    const value = pair.value as YamlNode | null;
    if (!(FRONT_MATTER_KEYS as readonly string[]).includes(key)) {
      throw err(line, `unknown front-matter key '${key}'${closest(key, FRONT_MATTER_KEYS)}; the keys are ${FRONT_MATTER_KEYS.join(', ')}`);
    }
    switch (key) {
      case 'title':
      case 'source': {
        const s = scalarText(value, yamlText);
        if (s === null || s.trim() === '') throw err(line, `\`${key}:\` must be one line of text`);
        if (key === 'title') out.title = s.trim(); else out.source = s.trim();
        break;
      }
      case 'samples':
      case 'tolerance': {
        const v = isScalar(value) ? value.value : undefined;
        if (typeof v !== 'number' || !Number.isFinite(v)) throw err(line, `\`${key}:\` must be a number`);
        out.lines[key] = line;
        if (key === 'samples') {
          if (!Number.isInteger(v) || v < 1) throw err(line, '`samples:` must be a positive integer (e.g. 500)');
          out.samples = v;
        } else {
          if (!(v > 0 && v < 1)) throw err(line, '`tolerance:` must be a relative tolerance in (0, 1), e.g. 1e-9');
          out.tolerance = v;
        }
        break;
      }
      case 'given': {
        if (value === null || (isScalar(value) && value.value === null)) break;
        if (!isSeq(value)) throw err(line, '`given:` must be a list, one declaration per line (`- L > 0`)');
        for (const item of value.items as YamlNode[]) {
          const l = lineOf(item, line);
          const s = givenText(item, yamlText);
          if (s === null) throw err(l, 'each `given` entry must be one declaration on one line, e.g. `- L > 0`, `- w in R^d`, `- f: R^d -> R, L-smooth`');
          out.given.push(parseGiven(s, l, file));
        }
        break;
      }
      case 'define': {
        if (value === null || (isScalar(value) && value.value === null)) break;
        if (!isMap(value)) throw err(line, '`define:` must be a map, one `name: expression` per line');
        for (const p of value.items as Pair[]) {
          const kNode = p.key as YamlNode;
          const l = lineOf(kNode, line);
          const k = isScalar(kNode) ? String(kNode.value) : null;
          const v = scalarText(p.value as YamlNode | null, yamlText);
          if (k === null) throw err(l, 'a `define` key must be a name (`eta`) or a sequence term (`"w(0)"`, `"w(k+1)"`)');
          if (v === null || v.trim() === '') throw err(l, `define '${k}' has no expression; write \`${k}: expression\``);
          addDefine(out.define, k.trim(), v, l, file);
        }
        break;
      }
      case 'claim':
        claimPair = pair;
        break;
    }
  }
  collectNames(out, file);
  if (claimPair) {
    const line = lineOf(claimPair.key as YamlNode);
    const s = scalarText(claimPair.value as YamlNode | null, yamlText);
    if (s === null || s.trim() === '') throw err(line, '`claim:` must be one relation, e.g. `f(w1) <= f(w)`');
    const rel = parseRelation(s, line, file);
    if (rel.relations.length !== 1) throw err(line, `the claim must be one relation \`a REL b\`, not ${rel.relations.length === 0 ? 'an expression' : 'a chain of relations'}; use a chain block for several steps`);
    out.claim = rel;
  }
  return out;
}

/** The text of a scalar (or flow collection like `[1, 2]`, read back from the source). */
function scalarText(node: YamlNode | null, src: string): string | null {
  if (node === null || node === undefined) return null;
  if (isScalar(node)) {
    if (node.value === null) return null;
    if (typeof node.value === 'string') return node.value;
    return node.source !== undefined && typeof node.source === 'string' ? node.source : String(node.value);
  }
  if ((isSeq(node) || isMap(node)) && node.flow && node.range) return src.slice(node.range[0], node.range[1]).trim();
  return null;
}

/** A given entry; `- f: R^d -> R, L-smooth` is a one-pair YAML map, read back as text. */
function givenText(node: YamlNode, src: string): string | null {
  if (isScalar(node)) return typeof node.value === 'string' ? node.value : null;
  if (isMap(node) && node.items.length === 1 && !node.flow) {
    const p = node.items[0] as Pair;
    const k = isScalar(p.key) ? String((p.key as { value: unknown }).value) : null;
    const v = scalarText(p.value as YamlNode | null, src);
    if (k !== null && v !== null) return `${k}: ${v}`;
  }
  return null;
}

const KEY_NAME = /^[A-Za-z_]\w*$/;
const KEY_BASE = /^([A-Za-z_]\w*)\(\s*(\d+)\s*\)$/;
const KEY_STEP = /^([A-Za-z_]\w*)\(\s*([A-Za-z_]\w*)\s*(?:\+\s*(\d+)\s*)?\)$/;

function addDefine(defs: Define[], key: string, value: string, line: number, file: string): void {
  const err = (d: string) => new ProofError(file, line, d);
  let m: RegExpExecArray | null;
  if (KEY_NAME.test(key)) {
    if (defs.some((d) => d.name === key)) throw err(`'${key}' is defined twice`);
    defs.push({ kind: 'value', name: key, key, line, expr: parseExpr(value, line, file, `definition of ${key}`) });
    return;
  }
  const base = KEY_BASE.exec(key);
  const step = base ? null : KEY_STEP.exec(key);
  const name = base?.[1] ?? step?.[1];
  if (!name) throw err(`define key '${key}' must be a name (\`eta\`), a base case (\`"w(0)"\`) or a recurrence (\`"w(k+1)"\`)`);
  let seq = defs.find((d) => d.name === name);
  if (seq && seq.kind !== 'sequence') throw err(`'${name}' is already defined as a value on line ${seq.line}`);
  if (!seq) {
    seq = { kind: 'sequence', name, line, bases: [] };
    defs.push(seq);
  }
  const expr = parseExpr(value, line, file, `definition of ${key}`);
  if (base) {
    const index = Number(base[2]);
    if (seq.bases.some((b) => b.index === index)) throw err(`${name}(${index}) is defined twice`);
    seq.bases.push({ index, key, line, expr });
  } else {
    m = step!;
    if (seq.step) throw err(`${name} has two recurrences (line ${seq.step.line} and here); keep one`);
    seq.step = { variable: m[2], offset: m[3] ? Number(m[3]) : 0, key, line, expr };
  }
}

/** Fill `names` from the givens and defines; check kinds do not clash. */
function collectNames(fm: FrontMatter, file: string): void {
  const kinds = new Map<string, { kind: string; line: number }>();
  const declare = (name: string, kind: string, line: number) => {
    const prev = kinds.get(name);
    if (prev && !(prev.kind === kind && kind !== 'function' && kind !== 'define')) {
      throw new ProofError(file, line, `'${name}' is declared twice (as ${prev.kind} on line ${prev.line}, and as ${kind} here); rename one`);
    }
    if ((DIMENSION_SYMBOLS as readonly string[]).includes(name)) {
      throw new ProofError(file, line, `'${name}' is a dimension symbol (the checker picks it); use another name`);
    }
    kinds.set(name, { kind, line });
  };
  const n = fm.names;
  for (const g of fm.given) {
    if (g.kind === 'function') { declare(g.name, 'function', g.line); n.functions.push(g.name); }
    if (g.kind === 'type') {
      for (const name of g.names) {
        const kind = g.type === 'N' ? 'integer' : g.type === 'R' ? 'real scalar' : g.type === 'vector' ? 'vector' : 'matrix';
        declare(name, kind, g.line);
        const list = g.type === 'N' ? n.integers : g.type === 'R' ? n.reals : g.type === 'vector' ? n.vectors : n.matrices;
        if (!list.includes(name)) list.push(name);
      }
    }
  }
  for (const d of fm.define) {
    if (kinds.has(d.name)) {
      const prev = kinds.get(d.name)!;
      throw new ProofError(file, d.line, `'${d.name}' is already declared as ${prev.kind} on line ${prev.line}; a define needs a new name`);
    }
    declare(d.name, 'define', d.line);
    n.defines.push(d.name);
    if (d.kind === 'sequence') {
      n.sequences.push(d.name);
      if (!d.bases.length) throw new ProofError(file, d.line, `sequence ${d.name} has no base case; add \`"${d.name}(0)": expression\``);
      if (!d.step) throw new ProofError(file, d.line, `sequence ${d.name} has no recurrence; add \`"${d.name}(k+1)": expression in ${d.name}(k)\``);
    }
  }
  // Names only in constraints are real scalars. Function-call heads are not names.
  for (const g of fm.given) {
    if (g.kind !== 'constraint') continue;
    for (const name of plainSymbols(g.relation.node)) {
      if (kinds.has(name) || (DIMENSION_SYMBOLS as readonly string[]).includes(name) || MATH_CONSTANTS.includes(name)) continue;
      kinds.set(name, { kind: 'real scalar', line: g.line });
      n.reals.push(name);
      g.scalars.push(name);
    }
  }
  for (const g of fm.given) {
    if (g.kind !== 'function') continue;
    for (const c of g.classes) {
      if (c.constant === undefined) continue;
      if (!n.reals.includes(c.constant) && !n.integers.includes(c.constant)) {
        throw new ProofError(file, g.line, `the constant '${c.constant}' of class ${c.text} is not a declared scalar${closest(c.constant, [...n.reals, ...n.integers])}; declare it in \`given\` (e.g. \`- ${c.constant} > 0\`)`);
      }
    }
  }
}

const FENCE_RE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/;

function parseBody(lines: string[], from: number, file: string): { chains: Chain[]; prose: { line: number; text: string }[] } {
  const chains: Chain[] = [];
  const prose: { line: number; text: string }[] = [];
  let buf: string[] = [];
  let bufStart = from + 1;
  const flush = (next: number) => {
    const lead = buf.findIndex((l) => l.trim() !== '');
    if (lead >= 0) prose.push({ line: bufStart + lead, text: buf.slice(lead).join('\n').trimEnd() });
    buf = [];
    bufStart = next;
  };
  for (let i = from; i < lines.length; i++) {
    const m = FENCE_RE.exec(lines[i]);
    if (!m) { buf.push(lines[i]); continue; }
    const fence = m[2];
    let end = i + 1;
    const closeRe = new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    while (end < lines.length && !closeRe.test(lines[end])) end++;
    if (m[3] !== 'chain') {
      // another fenced block: prose
      for (let j = i; j <= Math.min(end, lines.length - 1); j++) buf.push(lines[j]);
      i = end;
      continue;
    }
    if (end >= lines.length) throw new ProofError(file, i + 1, `the chain block opened here is never closed; add a line ${fence}`);
    flush(end + 2);
    chains.push(parseChain(lines.slice(i + 1, end), i + 1, file));
    i = end;
  }
  flush(lines.length + 1);
  return { chains, prose };
}

function parseChain(body: string[], fenceLine: number, file: string): Chain {
  let first: Expr | undefined;
  const steps: ChainStep[] = [];
  body.forEach((raw, k) => {
    const line = fenceLine + 1 + k;
    const hash = raw.indexOf('#');
    const code = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
    const justification = hash >= 0 ? raw.slice(hash + 1).trim() : undefined;
    if (code === '') {
      if (justification) throw new ProofError(file, line, 'a justification with no step; put `# why` after the step it justifies');
      return;
    }
    if (!first) {
      if (REL_RE.test(code)) throw new ProofError(file, line, 'a chain starts with an expression, not a relation; write the first expression on its own line');
      first = parseExpr(code, line, file);
      return;
    }
    const m = REL_RE.exec(code);
    if (!m) throw new ProofError(file, line, `each line after the first starts with a relation (=, ==, <=, <, >=, >, ≤, ≥), not "${code}"`);
    const rest = code.slice(m[1].length).trim();
    if (rest === '') throw new ProofError(file, line, `the relation ${m[1]} has no right side; write the expression after it`);
    if (/^[=<>]/.test(rest)) throw new ProofError(file, line, `"${m[1]}${rest[0]}" is not a relation; use one of =, ==, <=, <, >=, >, ≤, ≥`);
    steps.push({ line, relation: NORMAL[m[1]], expr: parseExpr(rest, line, file), ...(justification ? { justification } : {}) });
  });
  if (!first) throw new ProofError(file, fenceLine, 'empty chain block; write an expression, then one `REL expression  # why` per line');
  if (!steps.length) throw new ProofError(file, fenceLine, 'a chain needs at least one step: a line `REL expression` after the first expression');
  const up = steps.find((s) => s.relation === '<' || s.relation === '<=');
  const down = steps.find((s) => s.relation === '>' || s.relation === '>=');
  if (up && down) {
    const later = up.line > down.line ? up : down;
    const earlier = later === up ? down : up;
    throw new ProofError(file, later.line, `this chain mixes ${earlier.relation} (line ${earlier.line}) and ${later.relation}; a chain must go one way; split it into two chains`);
  }
  const strict = steps.some((s) => s.relation === '<' || s.relation === '>');
  const composed: Rel = up ? (strict ? '<' : '<=') : down ? (strict ? '>' : '>=') : '==';
  return { line: fenceLine, first, steps, composed };
}
