// A report worker thread: tsx compiles its TypeScript on load, as in bin/boundlab.mjs.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
