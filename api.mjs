// boundlab's extension API for scripts (docs/api.md): `import { ... } from 'boundlab/api'`.
// The library runs compiled from dist/ (bin/entry.mjs says when its TypeScript sources run instead);
// tsx is registered either way so that a script written in TypeScript (.ts) runs with plain `node`.
import { register } from 'tsx/esm/api';
import { load } from './bin/entry.mjs';

register();

// An error thrown in a script (or in a function it gave boundlab) is one line on stderr and
// exit status 1 (2 for input boundlab refuses), never a stack trace through minified TensorFlow.js.
const report = (e) => {
  // boundlab's refusals of input (UsageError and its kinds) exit 2, as on the command line
  let usage = false;
  for (let p = e && Object.getPrototypeOf(e); p; p = Object.getPrototypeOf(p)) if (p.constructor?.name === 'UsageError') usage = true;
  process.stderr.write(`boundlab: ${e instanceof Error ? e.message : String(e)}\n`);
  if (process.env.BOUNDLAB_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  process.exit(usage ? 2 : 1);
};
process.on('uncaughtException', report);
process.on('unhandledRejection', report);

const api = await load('api');

export const {
  tf, fc, UserCodeError, registerFamily, registerOptimizer, defineMethod, loadTheorem, loadTheoremFile, registerTheorem,
  initEngine, verifyTheorem, plantedStatements, relax, tightness, familyById, FAMILIES, optimizerById, OPTIMIZERS,
  theoremById, THEOREMS, linearForm, linearObstacle,
} = api;
