/**
 * The worst function of performance estimation, run for real: for gradient
 * descent (N = 10, 50), Nesterov's fast gradient (N = 10) and the composite
 * methods (proximal gradient, FISTA, the proximal point method; N = 10), the CPU seconds
 * of this process in each part (the solve's side in node, csdp being a child
 * process; factor and build; the real TensorFlow.js run with the verifier's
 * checks), and how close the run comes to τ. CPU time (process.cpuUsage), not wall time:
 * the machine is shared. No assertions.
 *   npx tsx bench/pep-worst.ts
 */
import { initEngine } from '../src/engine/backend.ts';
import { runPep } from '../src/pep/run.ts';
import { compositeWorstData, isComposite } from '../src/pep/compositeWorst.ts';
import { worstData } from '../src/pep/worst.ts';
import { runWorst } from '../src/pep/worstRun.ts';

const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
await initEngine();
for (const [target, steps] of [['gd', 10], ['gd', 50], ['nesterov', 10], ['proximal-gd', 10], ['fista', 10], ['proximal-point', 10]] as const) {
  const t0 = cpu();
  const r = await runPep({ target, steps });
  const t1 = cpu();
  // the composite pair is built again inside runWorst (a few ms): timed here on its own
  const data = isComposite(r.result) ? (compositeWorstData(r.result), undefined) : worstData(r.result);
  const t2 = cpu();
  const w = await runWorst(r, data);
  const t3 = cpu();
  console.log(`${target} N = ${steps}: CPU s: solve ${(t1 - t0).toFixed(2)} (csdp's wall ${r.seconds.toFixed(2)}), factor ${(t2 - t1).toFixed(3)}, run ${(t3 - t2).toFixed(2)}; rank ${w.rank}, excess ${w.excess.toExponential(1)} of τ; measured ${w.measured.toPrecision(10)} vs τ ${w.tau.toPrecision(10)} (tolerance ${w.tolerance.toExponential(1)}): ${w.reached ? 'reached' : 'NOT reached'}`);
}
