/**
 * What the commands load: `list` and `check` never start TensorFlow.js
 * (src/engine/tfjs.ts loads it on first use; it costs most of a second of
 * start-up), and the backend `list` names without starting it is the one the
 * engine then starts. The commands run through main, as the command line
 * runs them (its dispatch loads each command on demand). The whole-process
 * times are in bench/cli-start.ts.
 */
import { describe, expect, it } from 'vitest';
import { tfLoaded } from '../src/engine/tfjs.ts';
import { initEngine } from '../src/engine/backend.ts';
import { mainHere } from './fixtures/main-here.ts';

describe('start-up', () => {
  it('list and check run without loading TensorFlow.js; list names the backend the engine then starts', async () => {
    const list = await mainHere(['list', '--json', '--quiet']);
    expect(list.code).toBe(0);
    const check = await mainHere(['check', 'proofs/pl-one-step.md', '--samples', '20', '--json', '--quiet']);
    expect(check.code).toBe(0);
    expect(JSON.parse(check.out).files[0].verdict).toBe('valid');
    expect(tfLoaded()).toBe(false);
    const { backend } = JSON.parse(list.out) as { backend: string };
    expect(await initEngine()).toBe(backend);
    expect(tfLoaded()).toBe(true);
  });
});
