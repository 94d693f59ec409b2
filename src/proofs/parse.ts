/**
 * Parse a proof file (docs/proof-format.md) into a typed ProofFile: front matter
 * (title, source, given, define, claim, samples, tolerance), every ```chain
 * block with its steps, and the prose around them. Every given, define entry,
 * claim and chain line keeps its 1-based line number in the file; every error
 * is a ProofError naming `file:line` and what to change.
 */
import type { MathNode } from 'mathjs';
import { parseExpression, parseRelationOfSides, LanguageError, CONSTANTS } from '../language/expression.ts';
import { LineCounter, parseDocument, isMap, isScalar, isSeq, type Node as YamlNode, type Pair } from 'yaml';
import { UsageError } from '../verify/scope.ts';
import type { ClassName } from '../classes/types.ts';
import { closest } from '../cli/closest.ts';

/** A malformed proof file; the message names file:line and what to change. */
export class ProofError extends UsageError {
  readonly detail: string;
  constructor(readonly file: string, readonly line: number, detail: string) {
    // one place per message: a detail that already says file:line (a wrapped error) loses it, and no colon dangles
    const clean = stripPlace(detail, file);
    super(`${file}:${line}: ${clean}`);
    this.detail = clean;
  }
}

/** `detail` without leading `file:line:` prefixes and without a trailing colon. */
export function stripPlace(detail: string, file: string): string {
  let out = detail.trim();
  const prefix = `${file}:`;
  for (;;) {
    const m = out.startsWith(prefix) ? /^:(\d+):\s*/.exec(out.slice(file.length)) : null;
    if (!m) break;
    out = out.slice(file.length + m[0].length);
  }
  return out.replace(/\s*:\s*$/, '');
}

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

/** Relations after normalisation (≤ → <=, ≥ → >=, = → ==). */
export type Rel = '==' | '<=' | '<' | '>=' | '>';

/** One expression of the file: its source text, mathjs tree and line. */
export interface Expr {
  source: string;
  node: MathNode;
  line: number;
}

/** `a REL b REL c ...` (a given constraint, or the claim with one relation). */
export interface Relation {
  terms: Expr[];
  relations: Rel[];
  /** The whole relation as one mathjs tree (= written ==). */
  node: MathNode;
  source: string;
  line: number;
}

export type TypeName = 'N' | 'R' | 'vector' | 'matrix' | 'Sym' | 'PSD';

export type Given =
  | { kind: 'constraint'; line: number; source: string; relation: Relation; /** names this constraint declares as real scalars (declared nowhere else) */ scalars: string[] }
  | { kind: 'type'; line: number; source: string; names: string[]; type: TypeName; /** dimension(s): 'd', 'n' or a literal size; vector [size], matrix/Sym/PSD [rows, cols] */ dims: (string | number)[] }
  | { kind: 'function'; line: number; source: string; name: string; /** 'scalar' for R -> R, else the dimension symbol or size of R^k */ domain: 'scalar' | string | number; classes: FunctionClass[] };

/** A class of a declared function: the format's name, our ClassName, and the constant's scalar name. */
export interface FunctionClass {
  text: string;
  className: ClassName;
  constant?: string;
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

/** Format class names (with C standing for a declared scalar) and ours. */
const CLASS_FORMS: { re: RegExp; className: ClassName; form: string }[] = [
  { re: /^convex$/, className: 'convex', form: 'convex' },
  { re: /^quadratic$/, className: 'quadratic', form: 'quadratic' },
  { re: /^bounded-below$/, className: 'bounded-below', form: 'bounded-below' },
  { re: /^([A-Za-z_]\w*)-smooth$/, className: 'L-smooth', form: 'C-smooth' },
  { re: /^([A-Za-z_]\w*)-strongly-convex$/, className: 'mu-strongly-convex', form: 'C-strongly-convex' },
  { re: /^([A-Za-z_]\w*)-PL$/, className: 'mu-PL', form: 'C-PL' },
  { re: /^([A-Za-z_]\w*)-Lipschitz$/, className: 'G-Lipschitz', form: 'C-Lipschitz' },
];
export const CLASS_FORMS_TEXT = CLASS_FORMS.map((c) => c.form).join(', ');

/** Named constants of the language: they count as declared. */
export const MATH_CONSTANTS: readonly string[] = CONSTANTS;

const REL_RE = /^(==|<=|>=|≤|≥|=|<|>)/;
const NORMAL: Record<string, Rel> = { '==': '==', '=': '==', '<=': '<=', '≤': '<=', '<': '<', '>=': '>=', '≥': '>=', '>': '>' };

/** Parse a proof file's text. `file` is the name used in error messages. */
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

/** Parse one mathjs expression (not a relation) of the file. */
export function parseExpr(source: string, line: number, file: string, what = 'expression'): Expr {
  const text = source.trim();
  if (text === '') throw new ProofError(file, line, `empty ${what}`);
  let node: MathNode;
  try {
    node = parseExpression(text);
  } catch (e) {
    if (e instanceof LanguageError) throw new ProofError(file, line, `in ${what} "${shorten(text)}": ${e.message}`);
    throw new ProofError(file, line, `cannot parse ${what} "${shorten(text)}": ${(e as Error).message}`);
  }
  return { source: text, node, line };
}

/** Long sources are cut in messages (a 5,000-term sum would bury the reason). */
const shorten = (text: string) => (text.length > 120 ? `${text.slice(0, 100)}…` : text);

/** Split `a <= b < c` at relations outside brackets. */
function splitRelations(text: string): { terms: string[]; relations: Rel[] } {
  const terms: string[] = [];
  const relations: Rel[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (depth === 0) {
      const m = REL_RE.exec(text.slice(i));
      if (!m) continue;
      // not part of `!=`, `<<`, `>>`, `->`
      const prev = text[i - 1];
      if (prev === '!' || prev === '<' || prev === '>' || prev === '-' || prev === '=') continue;
      if ((m[1] === '<' && text[i + 1] === '<') || (m[1] === '>' && text[i + 1] === '>')) { i++; continue; }
      terms.push(text.slice(start, i));
      relations.push(NORMAL[m[1]]);
      i += m[1].length - 1;
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return { terms, relations };
}

/** `a REL b REL ...` with each term a mathjs expression. */
export function parseRelation(source: string, line: number, file: string): Relation {
  const { terms, relations } = splitRelations(source);
  const exprs = terms.map((t, i) => {
    if (t.trim() === '') {
      throw new ProofError(file, line, i === 0 ? `"${source.trim()}" starts with a relation; write what it compares on its left` : `the relation ${relations[i - 1]} in "${source.trim()}" has no right side`);
    }
    return parseExpr(t, line, file);
  });
  const normal = exprs.map((e, i) => (i === 0 ? `(${e.source})` : ` ${relations[i - 1]} (${e.source})`)).join('');
  return { terms: exprs, relations, node: parseRelationOfSides(normal), source: source.trim(), line };
}

const TYPE_RE = /^([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s+in\s+(.+)$/;
const FUNC_RE = /^([A-Za-z_]\w*)\s*:\s*(.+?)\s*->\s*(\S+?)\s*(?:,(.*))?$/;
const DIM = String.raw`([dn]|[1-9]\d*)`;

function parseDim(s: string): string | number {
  return /^\d+$/.test(s) ? Number(s) : s;
}

/** One `given` entry: a function declaration, a type declaration or a scalar constraint. */
export function parseGiven(text: string, line: number, file: string): Given {
  const source = text.trim();
  const err = (detail: string) => new ProofError(file, line, detail);
  const fm = FUNC_RE.exec(source);
  if (fm) {
    const [, name, dom, cod, rest] = fm;
    let domain: 'scalar' | string | number;
    const dm = new RegExp(`^R\\^${DIM}$`).exec(dom.replace(/\s+/g, ''));
    if (dom.trim() === 'R') domain = 'scalar';
    else if (dm) domain = parseDim(dm[1]);
    else throw err(`the domain of ${name} must be R or R^d (or R^n, R^3), not "${dom}"`);
    if (cod !== 'R') throw err(`${name} must be real-valued: write \`${name}: ${dom.trim()} -> R\`, not "-> ${cod}"`);
    const classes: FunctionClass[] = [];
    for (const raw of (rest ?? '').split(',').map((c) => c.trim())) {
      if (raw === '') {
        if (rest !== undefined) throw err(`empty class in "${source}"; classes are separated by commas: ${CLASS_FORMS_TEXT}`);
        continue;
      }
      const form = CLASS_FORMS.find((c) => c.re.test(raw));
      if (!form) {
        const hint = closest(raw, CLASS_FORMS.map((c) => c.form)) || closest(raw.replace(/^[A-Za-z_]\w*-/, 'C-'), CLASS_FORMS.map((c) => c.form));
        throw err(`unknown class '${raw}' for ${name}${hint}; the classes are ${CLASS_FORMS_TEXT}, where C is a declared scalar`);
      }
      const m = form.re.exec(raw)!;
      classes.push({ text: raw, className: form.className, ...(m[1] ? { constant: m[1] } : {}) });
    }
    return { kind: 'function', line, source, name, domain, classes };
  }
  const tm = TYPE_RE.exec(source);
  if (tm) {
    const names = tm[1].split(',').map((s) => s.trim());
    const t = tm[2].replace(/\s+/g, ' ').trim();
    const tt = t.replace(/\s+/g, '');
    let m: RegExpExecArray | null;
    if (tt === 'N') return { kind: 'type', line, source, names, type: 'N', dims: [] };
    if (tt === 'R') return { kind: 'type', line, source, names, type: 'R', dims: [] };
    if ((m = new RegExp(`^R\\^${DIM}$`).exec(tt))) return { kind: 'type', line, source, names, type: 'vector', dims: [parseDim(m[1])] };
    if ((m = new RegExp(`^R\\^\\(${DIM}x${DIM}\\)$`).exec(tt.replace(/×/g, 'x')))) {
      return { kind: 'type', line, source, names, type: 'matrix', dims: [parseDim(m[1]), parseDim(m[2])] };
    }
    if ((m = new RegExp(`^(Sym|PSD)\\^${DIM}$`).exec(tt))) {
      const d = parseDim(m[2]);
      return { kind: 'type', line, source, names, type: m[1] as 'Sym' | 'PSD', dims: [d, d] };
    }
    throw err(`unknown type "${t}"; the types are N, R, R^d, R^(n x d), Sym^d, PSD^d (d, n or a number as dimension)`);
  }
  const { relations } = splitRelations(source);
  if (relations.length === 0) {
    throw err(`"${source}" is not a declaration; write a scalar constraint (\`L > 0\`, \`0 < mu <= L\`), a type (\`w in R^d\`, \`t in N\`) or a function (\`f: R^d -> R, L-smooth\`)`);
  }
  const relation = parseRelation(source, line, file);
  return { kind: 'constraint', line, source, relation, scalars: [] };
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

/** Symbols of an expression that are not the head of a call. */
export function plainSymbols(node: MathNode): Set<string> {
  const out = new Set<string>();
  node.traverse((n, path, parent) => {
    if (n.type === 'SymbolNode' && !(parent?.type === 'FunctionNode' && path === 'fn')) out.add((n as unknown as { name: string }).name);
  });
  return out;
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
