/**
 * What the commands load: `list` and `check` never start TensorFlow.js
 * (src/engine/tfjs.ts loads it on first use; it costs most of a second of
 * start-up), and the backend `list` names without starting it is the one the
 * engine then starts. The whole-process times are in bench/cli-start.ts.
 */
import { describe, expect, it, vi } from 'vitest';
import { tfLoaded } from '../src/engine/tfjs.ts';
import { initEngine } from '../src/engine/backend.ts';
import { listCommand } from '../src/cli/list.ts';
import { checkCommand } from '../src/cli/check.ts';

/** stdout of one command run in this process. */
async function output(run: () => Promise<number>): Promise<{ code: number; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { out += String(chunk); return true; });
  try {
    return { code: await run(), out };
  } finally {
    spy.mockRestore();
  }
}

describe('start-up', () => {
  it('list and check run without loading TensorFlow.js; list names the backend the engine then starts', async () => {
    const list = await output(() => listCommand(['--json', '--quiet']));
    expect(list.code).toBe(0);
    const check = await output(() => checkCommand(['proofs/pl-one-step.md', '--samples', '20', '--json', '--quiet']));
    expect(check.code).toBe(0);
    expect(JSON.parse(check.out).files[0].verdict).toBe('valid');
    expect(tfLoaded()).toBe(false);
    const { backend } = JSON.parse(list.out) as { backend: string };
    expect(await initEngine()).toBe(backend);
    expect(tfLoaded()).toBe(true);
  });
});
