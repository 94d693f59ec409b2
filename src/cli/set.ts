/**
 * `--set k=v,...` as verify and tightness take it: a number, or an expression in
 * the witnesses' constants (gamma=1/L), evaluated at each instance's constants
 * (resolveSet in src/verify/scope.ts) and then checked against the theorem's domain.
 */
import { UsageError } from '../language/usage.ts';
import { parseExpression, isLanguageFunction, FORMAT_FUNCTIONS } from '../language/expression.ts';
import { assignmentPairs } from './args.ts';

/** Names an expression in --set may use: the witnesses' constants (constantsOf) and pi, e. */
const SET_CONSTANTS = ['L', 'mu', 'lambda', 'd', 'M', 'MV', 'sigma2star', 'Lmax', 'fstar', 'pi', 'e'];

/** `k=v,k=v`: numbers stay numbers; anything else must be an expression (evaluated at each instance's constants). */
export function parseSet(command: string, items: readonly string[]): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [name, text] of assignmentPairs(command, items, 'value')) {
    const n = Number(text);
    if (Number.isFinite(n)) { out[name] = n; continue; }
    try {
      parseExpression(text).traverse((n, path, parent) => {
        if (n.type !== 'SymbolNode') return;
        const sym = (n as unknown as { name: string }).name;
        if (parent?.type === 'FunctionNode' && path === 'fn') {
          if (!isLanguageFunction(sym) || Object.hasOwn(FORMAT_FUNCTIONS, sym)) throw new Error(`unknown function '${sym}'`);
        } else if (!SET_CONSTANTS.includes(sym)) {
          throw new Error(`'${sym}' is not a constant; the constants are ${SET_CONSTANTS.join(', ')}`);
        }
      });
    } catch (e) {
      throw new UsageError(`${command}: --set ${name}=${text} is neither a number nor an expression in the constants, e.g. ${name}=1/L (${(e as Error).message})`);
    }
    out[name] = text;
  }
  return out;
}
