/**
 * A method description as a batched TensorFlow.js update rule: every row an
 * instance, one tensor program for all of them (as the built-in rules).
 * Vectors are [B, d] tensors; scalars that depend on vectors are [B, 1]
 * columns; scalars of parameters and k alone are computed per row in float64
 * on the host and uploaded as columns (once, when they do not change).
 */
import { tf } from '../engine/tfjs.ts';
import type { BatchedLoss, MinibatchLoss } from '../classes/types.ts';
import { batchedGradient } from '../optimizers/common.ts';
import { softThreshold } from '../optimizers/proximal-gd.ts';
import { askewDirection } from '../optimizers/quantised/quantisers.ts';
import { drawMinibatch, minibatchRng } from '../optimizers/sampling.ts';
import type { Hyper, RuleContext, UpdateRule } from '../optimizers/types.ts';
import { hostSequences, hostValue, nodesOf, type Method, type MethodNode } from './describe.ts';

export interface DescribedState {
  /** Non-host sequences: [value at k, at k−1, …] as deep as the rules look back; the iterate: [x_{k−1}, …] only. */
  history: Map<string, tf.Tensor2D[]>;
  /** Host columns that never change (parameters and numbers only). */
  constants: Map<MethodNode, tf.Tensor2D>;
  minibatch: MinibatchLoss | null;
  /** x_0, kept when an update uses it (an anchor, as in Halpern's iteration). */
  start: tf.Tensor2D | null;
}

/** The update rule of a method for one batch (the OptimizerSpec's `rule`). */
export function compileTfjs(method: Method, hyper: Hyper, ctx: RuleContext): UpdateRule<DescribedState> {
  const B = ctx.B;
  const rowParams = Array.from({ length: B }, (_, i) => Object.fromEntries(Object.entries(hyper).map(([k, v]) => [k, v[i]])));
  const host = rowParams.map((p) => hostSequences(method, p));
  const tensorSeqs = method.sequences.filter((s) => !s.host);
  const depth = new Map(tensorSeqs.map((s) => [s.name, 1]));
  for (const s of method.sequences)
    for (const n of nodesOf(s.update)) if (n.op === 'seq' && depth.has(n.name)) depth.set(n.name, Math.max(depth.get(n.name)!, n.lag));
  if (method.stochastic && (!ctx.family.tfMinibatchLoss || !ctx.family.samples)) {
    throw new Error(`${method.file}: sgrad needs a finite-sum family (tfMinibatchLoss and samples); '${ctx.family.id}' is not one`);
  }
  const rngs = method.stochastic ? ctx.rows.map((r) => minibatchRng(ctx.seed, r)) : [];
  const samples = method.stochastic ? ctx.instances.map((inst) => ctx.family.samples!(inst)) : [];

  /** A host scalar as a [B, 1] column; in an update at step k, sequence lag j is index k + 1 − j. */
  // A host value that uses no parameter (FISTA's (λ_k − 1)/λ_{k+1}) is the same in every row: one [1, 1] tensor, broadcast.
  const rowFreeSeqs = new Set(method.sequences.filter((q) => q.host).map((q) => q.name));
  for (let changed = true; changed;) {
    changed = false;
    for (const q of method.sequences) {
      if (rowFreeSeqs.has(q.name) && ![...nodesOf(q.initial), ...nodesOf(q.update)].every((n) => n.op !== 'param' && (n.op !== 'seq' || rowFreeSeqs.has(n.name)))) {
        rowFreeSeqs.delete(q.name);
        changed = true;
      }
    }
  }
  const rowFree = new Map<MethodNode, boolean>();
  const isRowFree = (node: MethodNode) => {
    let r = rowFree.get(node);
    if (r === undefined) rowFree.set(node, (r = nodesOf(node).every((n) => n.op !== 'param' && (n.op !== 'seq' || rowFreeSeqs.has(n.name)))));
    return r;
  };
  const hostAt = (node: MethodNode, i: number, k: number, initial: boolean) =>
    hostValue(node, rowParams[i], k, (name, lag) => host[i](name, initial ? 0 : k + 1 - lag));
  const hostColumn = (node: MethodNode, k: number, initial: boolean): tf.Tensor2D =>
    isRowFree(node) ? tf.tensor2d([hostAt(node, 0, k, initial)], [1, 1]) : tf.tensor2d(Float32Array.from(rowParams, (_p, i) => hostAt(node, i, k, initial)), [B, 1]);
  // Whether a host node is the same at every step (no k, no sequence): decided once per node.
  const constant = new Map<MethodNode, boolean>();
  const isConstant = (node: MethodNode) => {
    let c = constant.get(node);
    if (c === undefined) constant.set(node, (c = nodesOf(node).every((n) => n.op === 'num' || n.op === 'param' || n.op === 'arith' || n.op === 'call')));
    return c;
  };

  function evaluate(
    node: MethodNode, k: number, initial: boolean, state: DescribedState, x0: tf.Tensor2D | null,
    seq: (name: string, lag: number) => tf.Tensor2D, loss: BatchedLoss | null, batch: () => tf.Tensor2D,
  ): tf.Tensor2D {
    const ev = (n: MethodNode): tf.Tensor2D => {
      if (n.host && n.type === 'scalar') {
        const cached = state.constants.get(n);
        if (cached) return cached;
        if (isConstant(n)) {
          const c = tf.keep(hostColumn(n, k, initial));
          state.constants.set(n, c);
          return c;
        }
        return hostColumn(n, k, initial);
      }
      switch (n.op) {
        case 'x0': return x0!;
        case 'seq': return seq(n.name, n.lag);
        case 'arith': {
          const [a, b] = n.args.map(ev);
          switch (n.fn) {
            case 'add': return tf.add(a, b);
            case 'subtract': return tf.sub(a, b);
            case 'multiply': return tf.mul(a, b);
            case 'divide': return tf.div(a, b);
            case 'pow': return tf.pow(a, b);
            case 'unaryMinus': return tf.neg(a);
          }
          break;
        }
        case 'call': {
          if (n.fn === 'prox') {
            const term = method.proxes[(n.args[0] as { name: string }).name];
            const step = ev(n.args[1]);
            const v = ev(n.args[2]);
            const col = (name: string) => tf.tensor2d(Float32Array.from(rowParams, (p) => p[name]), [B, 1]);
            if (term.kind === 'l1') return softThreshold(v, tf.mul(step, col(term.args[0])));
            return tf.minimum(tf.maximum(v, col(term.args[0])), col(term.args[1]));
          }
          const a = n.args.map(ev);
          switch (n.fn) {
            case 'grad': return batchedGradient(loss!, a[0]);
            case 'sgrad': {
              const b = batch();
              return tf.grad((z) => tf.sum(state.minibatch!(z as tf.Tensor2D, b)))(a[0]) as tf.Tensor2D;
            }
            case 'f': return tf.reshape(loss!(a[0]), [B, 1]);
            case 'sign': return tf.sign(a[0]);
            case 'abs': return tf.abs(a[0]);
            case 'sqrt': return tf.sqrt(a[0]);
            case 'exp': return tf.exp(a[0]);
            case 'log': return tf.log(a[0]);
            case 'clip': return tf.minimum(tf.maximum(a[0], a[1]), a[2]);
            case 'askew': return askewDirection(a[0], a[1], a[2], a[3]);
            case 'norm': return tf.norm(a[0], 'euclidean', 1, true) as tf.Tensor2D;
            case 'dot': return tf.sum(tf.mul(a[0], a[1]), 1, true);
            case 'max': return tf.maximum(a[0], a[1]);
            case 'min': return tf.minimum(a[0], a[1]);
          }
        }
      }
      throw new Error(`${method.file}:${n.line}: cannot compile this node to TensorFlow.js`);
    };
    return ev(node);
  }

  // The iterate x_k is the runner's tensor (passed to update, disposed by the runner after it):
  // it is read from there and the new iterate handed back as is; only x_{k−1}, … are kept here,
  // as copies, when a rule looks that far back. Every other sequence keeps [value at k, k−1, …].
  const iterate = method.iterate;
  /** Whether a rule's value is another's tensor (the rule is a bare sequence or x0: nothing is computed). */
  const copies = (node: MethodNode) => node.op === 'seq' || node.op === 'x0';
  const anchored = method.sequences.some((s) => nodesOf(s.update).some((n) => n.op === 'x0'));
  return {
    init(x) {
      const state: DescribedState = {
        history: new Map([[iterate, []]]),
        constants: new Map(),
        minibatch: method.stochastic ? ctx.family.tfMinibatchLoss!(ctx.instances) : null,
        start: anchored ? tf.clone(x) : null,
      };
      const others = tensorSeqs.filter((s) => s.name !== iterate);
      const values = tf.tidy(() => {
        const made = new Map<string, tf.Tensor2D>([[iterate, x]]);
        for (const s of others) {
          made.set(s.name, evaluate(s.initial, 0, true, state, x, (name) => made.get(name)!, null, () => { throw new Error('sgrad in an initial value'); }));
        }
        // a copy where a value is x itself (y(0) = x0) or another sequence's: each is disposed on its own
        return others.map((s) => (copies(s.initial) ? tf.clone(made.get(s.name)!) : made.get(s.name)!));
      });
      others.forEach((s, i) => state.history.set(s.name, [values[i]]));
      return state;
    },
    update(loss, x, state, k) {
      let drawn: tf.Tensor2D | null = null;
      const batch = () => (drawn ??= tf.tensor2d(drawMinibatch(rngs, samples, 1), [B, 1], 'int32'));
      const past = state.history.get(iterate)!;
      const next = tf.tidy(() => {
        const made = new Map<string, tf.Tensor2D>();
        const seq = (name: string, lag: number): tf.Tensor2D => {
          if (lag === 0) return made.get(name)!;
          if (name === iterate) return lag === 1 || past.length === 0 ? x : past[Math.min(lag - 2, past.length - 1)];
          const h = state.history.get(name)!;
          return h[Math.min(lag - 1, h.length - 1)];
        };
        for (const s of tensorSeqs) made.set(s.name, evaluate(s.update, k, false, state, state.start, seq, loss, batch));
        // A rule that only copies a value (y(k+1) = x(k+1), or x(k+1) = x0) gets its own tensor:
        // the kept values are disposed on their own schedules. Every other rule makes a new one.
        return tensorSeqs.map((s) => (copies(s.update) ? tf.clone(made.get(s.name)!) : made.get(s.name)!));
      });
      let xNext: tf.Tensor2D | undefined;
      tensorSeqs.forEach((s, i) => {
        if (s.name === iterate) {
          xNext = next[i];
          // x_k becomes x_{k−1}: copied, since the runner disposes x
          if (depth.get(iterate)! >= 2) {
            past.unshift(tf.clone(x));
            while (past.length > depth.get(iterate)! - 1) past.pop()!.dispose();
          }
          return;
        }
        const h = state.history.get(s.name)!;
        h.unshift(next[i]);
        while (h.length > depth.get(s.name)!) h.pop()!.dispose();
      });
      return { x: xNext!, state };
    },
    dispose(state) {
      for (const h of state.history.values()) tf.dispose(h);
      tf.dispose([...state.constants.values()]);
      state.minibatch?.dispose();
      state.start?.dispose();
    },
  };
}
