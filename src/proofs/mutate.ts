/**
 * Mutation testing of a proof file: small wrong edits of each step (flip its
 * relation, scale a constant, shift an exponent, drop a term, swap a sign),
 * each checked like a step. A mutant the checker refutes is killed;
 * the share of mutants killed measures what the checker can see in this proof.
 * Only a step's own (right-hand) expression is edited: its left side is the
 * previous line of the chain, edited as the right side of its own step.
 */
import type { ConstantNode, MathNode, OperatorNode } from 'mathjs';
import { math } from '../language/mathjs.ts';
import { FileChecker, type CheckOptions } from './check.ts';
import { checkNames } from './names.ts';
import type { Expr, ProofFile, Rel } from './parse.ts';
import type { Verdict } from './result.ts';
import { holds } from './tolerance.ts';

export const MUTATION_OPERATORS = ['flip-relation', 'scale-constant', 'change-exponent', 'drop-term', 'swap-sign'] as const;
export type MutationOperator = (typeof MUTATION_OPERATORS)[number];

export interface Mutant {
  line: number;
  operator: MutationOperator;
  /** what changed, e.g. "L / 2 → L / 4" or "<= → >=" */
  description: string;
  lhs: Expr;
  relation: Rel;
  rhs: Expr;
}

/** One step as the checker sees it: a chain step with the previous expression on its left, or the claim. */
export interface ProofStep {
  lhs: Expr;
  relation: Rel;
  rhs: Expr;
  line: number;
}

/**
 * Relations are flipped, never made strict: the checker compares a < b like
 * a <= b up to rounding (sampling cannot tell them apart), so `<=` → `<` or
 * `=` → `<` would be mutants no sampled check can kill.
 */
const FLIPPED: Record<Rel, Rel[]> = { '<=': ['>='], '<': ['>'], '>=': ['<='], '>': ['<'], '==': [] };
/** Built-ins whose first three arguments are an index variable and its integer bounds. */
const RANGE_BUILTINS = ['sumover', 'minover', 'maxover'];

/**
 * The mutants of one step, in operator order, without duplicates or edits
 * that leave the step's text unchanged. `sequences` are the names of defined
 * sequences, whose call arguments are indices and are left alone.
 */
export function stepMutants(lhs: Expr, relation: Rel, rhs: Expr, line: number, sequences: readonly string[] = []): Mutant[] {
  const out: Mutant[] = [];
  const seen = new Set([`${relation} ${reparsed(rhs.node, line).source}`]);
  const add = (operator: MutationOperator, description: string, rel: Rel, mutated: Expr) => {
    const key = `${rel} ${mutated.source}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ line, operator, description, lhs, relation: rel, rhs: mutated });
  };
  for (const rel of FLIPPED[relation]) add('flip-relation', `${relation} → ${rel}`, rel, rhs);
  const edits = treeEdits(rhs.node, sequences).sort((a, b) => MUTATION_OPERATORS.indexOf(a.operator) - MUTATION_OPERATORS.indexOf(b.operator));
  for (const e of edits) add(e.operator, e.description, relation, reparsed(replaced(rhs.node, e.target, e.replacement), line));
  return out;
}

/** Every step of the file: the claim, then each chain step (left side: the previous expression of its chain). */
export function proofSteps(pf: ProofFile): ProofStep[] {
  const steps: ProofStep[] = [];
  if (pf.claim) steps.push({ lhs: pf.claim.terms[0], relation: pf.claim.relations[0], rhs: pf.claim.terms[1], line: pf.claim.line });
  for (const chain of pf.chains) {
    let previous = chain.first;
    for (const s of chain.steps) {
      steps.push({ lhs: previous, relation: s.relation, rhs: s.expr, line: s.line });
      previous = s.expr;
    }
  }
  return steps;
}

/** The mutants of every step of the file, the claim's first. */
export function fileMutants(pf: ProofFile): Mutant[] {
  return proofSteps(pf).flatMap((s) => stepMutants(s.lhs, s.relation, s.rhs, s.line, pf.names.sequences));
}

/** One edit of an expression tree: `target` (a node of the original tree) becomes `replacement`. */
interface TreeEdit {
  operator: MutationOperator;
  target: MathNode;
  replacement: MathNode;
  description: string;
}

/**
 * Where a node sits. Integer positions (sequence and matrix indices, the
 * index variable and bounds of sumover/minover/maxover, diff's variable) are
 * never edited: changing them gives an invalid index or a different
 * statement, not a wrong bound. Constants in exponents are changed by
 * change-exponent only, not scaled.
 */
type Position = 'free' | 'exponent' | 'index';

function treeEdits(root: MathNode, sequences: readonly string[]): TreeEdit[] {
  const edits: TreeEdit[] = [];
  const visit = (node: MathNode, parent: MathNode | null, position: Position) => {
    if (position === 'index') return;
    // Children first: the terms of a − b + c are parsed as (a − b) + c, and read left to right.
    node.forEach((child, path) => visit(child, node, childPosition(node, path, position, sequences)));
    if (isNumber(node) && position === 'free') edits.push(...scaledConstants(node, parent));
    if (isPower(node)) edits.push(...shiftedExponents(node));
    // A sum nested in a sum without brackets is part of the outer one's terms.
    if (isSum(node) && !(parent && isSum(parent))) edits.push(...droppedTerms(node, parent));
    if (isSum(node)) edits.push(swappedSign(node));
    if (math.isOperatorNode(node) && node.fn === 'unaryMinus') {
      edits.push({ operator: 'swap-sign', target: node, replacement: node.args[0], description: `${node} → ${node.args[0]}` });
    }
  };
  visit(root, null, 'free');
  return edits;
}

function childPosition(node: MathNode, path: string, position: Position, sequences: readonly string[]): Position {
  if (math.isAccessorNode(node) && path === 'index') return 'index';
  if (isPower(node) && path === 'args[1]') return 'exponent';
  if (math.isFunctionNode(node)) {
    const name = node.fn.name;
    if (path === 'fn' || sequences.includes(name)) return 'index';
    if (RANGE_BUILTINS.includes(name) && ['args[0]', 'args[1]', 'args[2]'].includes(path)) return 'index';
    if (name === 'diff' && path === 'args[1]') return 'index';
  }
  return position;
}

/** c → 2c and c → c/2, described in the operation the constant belongs to. */
function scaledConstants(c: ConstantNode<number>, parent: MathNode | null): TreeEdit[] {
  const context = parent && math.isOperatorNode(parent) ? parent : c;
  return [2, 1 / 2].map((factor) => {
    const replacement = new math.ConstantNode(c.value * factor);
    return { operator: 'scale-constant', target: c, replacement, description: `${context} → ${replaced(context, c, replacement)}` };
  });
}

/** base^n → base^(n+1) and base^(n−1). */
function shiftedExponents(power: OperatorNode): TreeEdit[] {
  const [base, exponent] = power.args;
  return [1, -1].map((delta) => {
    const replacement = new math.OperatorNode(power.op as '^', power.fn as 'pow', [base, shiftedBy(exponent, delta)]);
    return { operator: 'change-exponent', target: power, replacement, description: `${power} → ${replacement}` };
  });
}

/** `e + delta`, folded into a constant exponent or a trailing constant (k + 1 → k + 2, not k + 1 + 1). */
function shiftedBy(exponent: MathNode, delta: number): MathNode {
  const e = exponent.type === 'ParenthesisNode' ? (exponent as unknown as { content: MathNode }).content : exponent;
  if (isNumber(e)) return new math.ConstantNode(e.value + delta);
  if (isSum(e) && isNumber(e.args[1])) {
    const c = e.args[1].value + (e.fn === 'add' ? delta : -delta);
    if (c === 0) return e.args[0];
    return new math.OperatorNode(e.op as '+', e.fn as 'add', [e.args[0], new math.ConstantNode(c)]);
  }
  return delta > 0 ? new math.OperatorNode('+', 'add', [e, new math.ConstantNode(delta)]) : new math.OperatorNode('-', 'subtract', [e, new math.ConstantNode(-delta)]);
}

interface SignedTerm {
  sign: 1 | -1;
  node: MathNode;
}

/** The sum with each of its terms left out in turn; brackets around a single remaining term go too. */
function droppedTerms(sum: OperatorNode, parent: MathNode | null): TreeEdit[] {
  const terms = signedTerms(sum, 1);
  const target = terms.length === 2 && parent?.type === 'ParenthesisNode' ? parent : sum;
  return terms.map((t, i) => ({
    operator: 'drop-term',
    target,
    replacement: sumOf(terms.filter((_, j) => j !== i)),
    description: `drop ${t.sign < 0 ? '- ' : i > 0 ? '+ ' : ''}${t.node}`,
  }));
}

/** a + b ↔ a − b at one binary sum node. */
function swappedSign(sum: OperatorNode): TreeEdit {
  const [a, b] = sum.args;
  const [op, fn] = sum.fn === 'add' ? ['-', 'subtract'] as const : ['+', 'add'] as const;
  return { operator: 'swap-sign', target: sum, replacement: new math.OperatorNode(op, fn, [a, b]), description: `${sum.op} ${b} → ${op} ${b}` };
}

/** The terms of a bracket-free sum, with their signs (a − b + c → +a, −b, +c). */
function signedTerms(node: MathNode, sign: 1 | -1): SignedTerm[] {
  if (!isSum(node)) return [{ sign, node }];
  const [a, b] = node.args;
  return [...signedTerms(a, sign), ...signedTerms(b, node.fn === 'add' ? sign : (-sign as 1 | -1))];
}

function sumOf(terms: SignedTerm[]): MathNode {
  const [first, ...rest] = terms;
  const head: MathNode = first.sign > 0 ? first.node : new math.OperatorNode('-', 'unaryMinus', [first.node]);
  return rest.reduce<MathNode>((acc, t) => (t.sign > 0 ? new math.OperatorNode('+', 'add', [acc, t.node]) : new math.OperatorNode('-', 'subtract', [acc, t.node])), head);
}

function isNumber(node: MathNode): node is ConstantNode<number> {
  return math.isConstantNode(node) && typeof node.value === 'number';
}

function isPower(node: MathNode): node is OperatorNode {
  return math.isOperatorNode(node) && (node.fn === 'pow' || node.fn === 'dotPow');
}

function isSum(node: MathNode): node is OperatorNode {
  return math.isOperatorNode(node) && node.args.length === 2 && (node.fn === 'add' || node.fn === 'subtract');
}

function replaced(root: MathNode, target: MathNode, replacement: MathNode): MathNode {
  return root.transform((n) => (n === target ? replacement : n));
}

/**
 * The tree as the evaluator will see it: it compiles by source text, so the
 * node is the text parsed back (brackets as printed, constants as printed).
 */
function reparsed(tree: MathNode, line: number): Expr {
  const node = math.parse(tree.toString());
  return { source: node.toString(), node, line };
}

/**
 * Both sides' values at each of the checker's sampled assignments: one entry
 * per assignment, in the same order on every call (a side that is not finite
 * as NaN, not left out), so that entry i of two calls is the same assignment.
 */
export type SidesAtSamples = (lhs: Expr, rhs: Expr) => { lhs: number; rhs: number; rhsNoise?: boolean }[];

export interface MutantResult extends Mutant {
  verdict: Verdict;
  /** survived, and at most as strong as the original step at every sample: no sound checker can kill it */
  implied: boolean;
}

export interface MutationReport {
  file: string;
  mutants: number;
  killed: number;
  implied: number;
  /** mutants in error (or vacuous): not counted in the score */
  errors: number;
  /** killed / (mutants − implied − errors); NaN when no mutant counts */
  score: number;
  results: MutantResult[];
}

export interface MutationOptions {
  seed: number;
  samples?: number;
  /** budgets (default DEFAULT_LIMITS) */
  limits?: CheckOptions['limits'];
  /** both sides at the sampled assignments (default: the checker's own) */
  sides?: SidesAtSamples;
}

/** Check every mutant of every step of `pf`. A malformed file throws ProofError before any sampling. */
export function mutateProof(pf: ProofFile, opts: MutationOptions): MutationReport {
  checkNames(pf);
  // only the verdicts are read: a refutation need not be shrunk
  const checker = new FileChecker(pf, { seed: opts.seed, samples: opts.samples, limits: opts.limits, prove: false, shrink: false });
  const sides = opts.sides ?? ((l: Expr, r: Expr) => checker.sides(l, r));
  const results: MutantResult[] = [];
  for (const step of proofSteps(pf)) {
    let original: ReturnType<SidesAtSamples> | undefined;
    for (const m of stepMutants(step.lhs, step.relation, step.rhs, step.line, pf.names.sequences)) {
      const { verdict } = checker.checkRelation(m.lhs, m.relation, m.rhs, m.line);
      let implied = false;
      // Only a survivor needs explaining; a relation mutant is never weaker than its step.
      if (survived(verdict) && m.relation === step.relation) {
        original ??= sides(step.lhs, step.rhs);
        implied = rhsWeakerAtEverySample(step.relation, original, sides(m.lhs, m.rhs), checker.tolerance);
      }
      results.push({ ...m, verdict, implied });
    }
  }
  const killed = results.filter((r) => r.verdict === 'refuted').length;
  const implied = results.filter((r) => r.implied).length;
  const errors = results.filter((r) => r.verdict === 'error' || r.verdict === 'vacuous').length;
  const counted = results.length - implied - errors;
  return { file: pf.file, mutants: results.length, killed, implied, errors, score: counted > 0 ? killed / counted : NaN, results };
}

function survived(verdict: Verdict): boolean {
  return verdict !== 'refuted' && verdict !== 'error' && verdict !== 'vacuous';
}

/**
 * Whether the mutated right side gives the step at least as much room as the
 * original at every sample where both are finite: ≥ it for <, <=; ≤ it for
 * >, >=; equal to it for == (an equivalent mutant).
 */
function rhsWeakerAtEverySample(relation: Rel, original: { rhs: number; rhsNoise?: boolean }[], mutated: { rhs: number }[], tolerance: number): boolean {
  if (original.length !== mutated.length) return false;
  let compared = 0;
  for (const [i, o] of original.entries()) {
    const r = mutated[i].rhs;
    // where the original right side is rounding noise around 0 (a gap f(w0) − f* of −1e-30,
    // say), scaling it says nothing about which claim is weaker
    if (!Number.isFinite(o.rhs) || !Number.isFinite(r) || o.rhsNoise) continue;
    if (!holds(o.rhs, relation, r, tolerance * Math.max(Math.abs(o.rhs), Math.abs(r)))) return false;
    compared++;
  }
  return compared > 0;
}
