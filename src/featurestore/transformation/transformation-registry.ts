import { InvalidTransformationError, TransformationFunctionNotFoundError } from '../../errors/featurestore-errors.js';
import type { FeatureType } from '../types/feature-type.js';
import { BUILTIN_TRANSFORMATIONS } from './builtin-transformations.js';
import type { TransformationFunctionDefinition, TransformationFunctionOptions, UserTransformationFunction } from './transformation-function.js';
import { STATISTIC_KINDS } from './transformation-statistics.js';

/** User function names become column name prefixes, so they follow feature names. */
const FUNCTION_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * The transformation functions a Humle instance knows: the built-ins, and the functions registered in this process.
 * A view stores only a function's name and version, because code does not go into the database: a process that
 * reads or serves a view with a user function registers it first (at startup, as it imports its model code), and
 * using the view otherwise throws TransformationFunctionNotFoundError naming the function.
 */
export class TransformationFunctionRegistry {
  private readonly functions = new Map<string, TransformationFunctionDefinition>(BUILTIN_TRANSFORMATIONS.map((f) => [key(f.name, f.version), f]));

  register(name: string, fn: UserTransformationFunction, options: TransformationFunctionOptions = {}): void {
    if (typeof name !== 'string' || !FUNCTION_NAME.test(name)) {
      throw new InvalidTransformationError('a transformation function name has 1 to 63 lowercase letters, digits or underscores and starts with a letter (it prefixes output columns)', { name: String(name) });
    }
    if (typeof fn !== 'function') throw new InvalidTransformationError(`transformation function ${name} must be a function`, { name });
    const version = options.version ?? 1;
    if (!Number.isSafeInteger(version) || version < 1) throw new InvalidTransformationError('version must be a positive integer', { name, version });
    const statistics = options.statistics ?? [];
    const unknown = statistics.find((s) => !STATISTIC_KINDS.includes(s));
    if (unknown !== undefined) throw new InvalidTransformationError(`unknown statistic ${String(unknown)} (known: ${STATISTIC_KINDS.join(', ')})`, { name });
    const outputs = options.outputs ?? 1;
    if (!Number.isSafeInteger(outputs) || outputs < 1) throw new InvalidTransformationError('outputs must be a positive integer', { name, outputs });
    const type: FeatureType = options.outputType ?? { kind: 'double' };
    if (this.functions.has(key(name, version))) throw new InvalidTransformationError(`transformation function ${name} version ${version} is registered already`, { name, version });
    this.functions.set(key(name, version), {
      name,
      version,
      outputPrefix: name,
      statistics,
      checkInputs: () => undefined,
      outputTypes: () => Array.from({ length: outputs }, () => type),
      prepare(stats) {
        if (outputs === 1) {
          return (inputs, out, at) => {
            out[at] = fn(inputs, stats) ?? null;
          };
        }
        return (inputs, out, at) => {
          const values = fn(inputs, stats);
          if (!Array.isArray(values) || values.length !== outputs) {
            throw new InvalidTransformationError(`transformation function ${name} returned ${Array.isArray(values) ? values.length : 'no array of'} values, not ${outputs}`, { name });
          }
          for (let i = 0; i < outputs; i++) out[at + i] = values[i] ?? null;
        };
      },
    });
  }

  get(name: string, version = 1): TransformationFunctionDefinition {
    const found = this.functions.get(key(name, version));
    if (found === undefined) {
      throw new TransformationFunctionNotFoundError(
        `transformation function ${name} version ${version} is neither built in (${BUILTIN_TRANSFORMATIONS.map((f) => f.name).join(', ')}) nor registered in this process: call fs.registerTransformationFunction first`,
        { name, version },
      );
    }
    return found;
  }
}

function key(name: string, version: number): string {
  return `${name}@${version}`;
}
