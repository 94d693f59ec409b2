/**
 * The TensorFlow.js engine: tfjs-node when its native library loads, else the
 * wasm backend, else plain JavaScript (cpu). Every result records which ran.
 */
import * as tf from '@tensorflow/tfjs';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

let chosen: Promise<BackendName> | undefined;

/** Initialise once; later calls return the same backend. */
export function initEngine(prefer?: BackendName): Promise<BackendName> {
  chosen ??= choose(prefer ?? (process.env.BOUNDLAB_BACKEND as BackendName | undefined));
  return chosen;
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
