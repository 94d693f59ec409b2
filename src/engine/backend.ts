/**
 * The TensorFlow.js engine: tfjs-node when its native library loads, else the
 * wasm backend, else plain JavaScript (cpu). Every result records which ran.
 */
import { createRequire } from 'node:module';
import { tf } from './tfjs.ts';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

let chosen: Promise<BackendName> | undefined;

/** Initialise once; later calls return the same backend. */
export function initEngine(prefer?: BackendName): Promise<BackendName> {
  chosen ??= choose(prefer ?? (process.env.BOUNDLAB_BACKEND as BackendName | undefined));
  return chosen;
}

/**
 * The backend initEngine() chooses, without starting TensorFlow.js when the answer is
 * certain from what is installed: with no BOUNDLAB_BACKEND and no tfjs-node package,
 * the first candidate is wasm, whose package is a dependency. Otherwise (tfjs-node
 * present: its native library may or may not load) the engine is started to find out.
 */
export async function expectedBackend(): Promise<BackendName> {
  if (chosen || process.env.BOUNDLAB_BACKEND || installed('@tensorflow/tfjs-node') || !installed('@tensorflow/tfjs-backend-wasm') || typeof WebAssembly !== 'object') return initEngine();
  return 'wasm';
}

function installed(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

async function choose(prefer?: BackendName): Promise<BackendName> {
  // tfjs greets Node users on the console when a non-native backend is used;
  // a --json caller needs stdout clean, so that one message is dropped.
  tf.env().set('IS_TEST', true);
  const order: BackendName[] = prefer ? [prefer] : ['tensorflow', 'wasm', 'cpu'];
  for (const name of order) {
    try {
      if (name === 'tensorflow') {
        // Optional dependency: absent or unloadable on machines where its native library could not be installed.
        await import('@tensorflow/tfjs-node' as string);
      } else if (name === 'wasm') {
        await import('@tensorflow/tfjs-backend-wasm');
      }
      if (await tf.setBackend(name)) {
        await tf.ready();
        return name;
      }
    } catch {
      // fall through to the next backend
    }
  }
  throw new Error(`no TensorFlow.js backend could be initialised (tried ${order.join(', ')})`);
}

export { tf };
