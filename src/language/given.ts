/**
 * The pieces of the statement language that proof files, theorem files and the
 * catalogue share: relations (`a <= b < c`), expressions with their line, and
 * `given:` entries (scalar constraints, types, functions with their classes).
 */
import type { MathNode } from 'mathjs';
import { parseExpression, parseRelationOfSides, LanguageError, CONSTANTS } from './expression.ts';
import type { ClassName } from '../classes/types.ts';
import { closest } from './closest.ts';
import { ProofError } from './usage.ts';

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

export const REL_RE = /^(==|<=|>=|≤|≥|=|<|>)/;
export const NORMAL: Record<string, Rel> = { '==': '==', '=': '==', '<=': '<=', '≤': '<=', '<': '<', '>=': '>=', '≥': '>=', '>': '>' };

/** Parse a proof file's text. `file` is the name used in error messages. */
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

/** Symbols of an expression that are not the head of a call. */
export function plainSymbols(node: MathNode): Set<string> {
  const out = new Set<string>();
  node.traverse((n, path, parent) => {
    if (n.type === 'SymbolNode' && !(parent?.type === 'FunctionNode' && path === 'fn')) out.add((n as unknown as { name: string }).name);
  });
  return out;
}

