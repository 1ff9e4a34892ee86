/**
 * A local function's configuration with Lambda's defaults and limits: Timeout (3 s, 1-900),
 * MemorySize (128 MB, 128-10240), Environment.Variables (no reserved keys, 4 KB in all),
 * Architectures and EphemeralStorage.Size (512 MB, 512-10240). A bad value is an
 * InvalidRequestError naming the limit, with Lambda's message where Lambda has a fixed one.
 */
import { InvalidRequestError } from '../../services/core/errors.ts';
import type { Architecture } from '../../services/core/ports.ts';

/** What a function (and each published version, frozen at publish) runs with. */
export interface FunctionConfiguration {
  readonly timeoutSeconds: number;
  readonly memorySizeMb: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly architecture: Architecture;
  readonly ephemeralStorageMb: number;
}

/** Fields a create or an update may set; omitted ones keep their value (or Lambda's default). */
export type ConfigurationChange = Partial<FunctionConfiguration>;

/** Lambda's defaults for a new function. */
export const DEFAULT_CONFIGURATION: FunctionConfiguration = {
  timeoutSeconds: 3,
  memorySizeMb: 128,
  environment: {},
  architecture: 'x86_64',
  ephemeralStorageMb: 512,
};

/**
 * Keys Lambda sets itself and refuses in Environment.Variables (its documented reserved
 * variables); the unreserved ones it sets (LANG, PATH, LD_LIBRARY_PATH, …) may be overridden.
 */
export const RESERVED_ENVIRONMENT_KEYS: readonly string[] = [
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
  'TZ',
];

/** Lambda's limit on Environment.Variables: 4 KB, measured as the variables' JSON. */
export const MAX_ENVIRONMENT_BYTES = 4096;
const ENV_KEY = /^[a-zA-Z][a-zA-Z0-9_]*$/;

/** Lambda's ValidationException text, plus the range in words. */
function integerIn(
  field: string,
  member: string,
  value: number,
  range: [number, number],
  unit: string,
): void {
  const [min, max] = range;
  if (Number.isInteger(value) && value >= min && value <= max) return;
  const constraint = !Number.isInteger(value)
    ? `Member must be a whole number`
    : value < min
      ? `Member must have value greater than or equal to ${min}`
      : `Member must have value less than or equal to ${max}`;
  throw new InvalidRequestError(
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint} (${field} is ${min}-${max} ${unit})`,
    { field },
  );
}

function checkEnvironment(environment: Readonly<Record<string, string>>): void {
  const reserved = Object.keys(environment).filter((k) => RESERVED_ENVIRONMENT_KEYS.includes(k));
  if (reserved.length > 0) {
    throw new InvalidRequestError(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
      { field: 'Environment.Variables' },
    );
  }
  for (const [key, value] of Object.entries(environment)) {
    if (!ENV_KEY.test(key) || typeof value !== 'string') {
      throw new InvalidRequestError(
        `environment variable "${key}" is not valid: a key starts with a letter and holds only letters, digits and _; a value is a string`,
        { field: 'Environment.Variables' },
      );
    }
  }
  const size = Buffer.byteLength(JSON.stringify(environment), 'utf8');
  if (size > MAX_ENVIRONMENT_BYTES) {
    throw new InvalidRequestError(
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${size} bytes of ${JSON.stringify(environment).slice(0, 64)}…`,
      { field: 'Environment.Variables' },
    );
  }
}

/** Throws InvalidRequestError naming the first value outside Lambda's limits. */
export function checkConfiguration(change: ConfigurationChange): void {
  if (change.timeoutSeconds !== undefined)
    integerIn('Timeout', 'timeout', change.timeoutSeconds, [1, 900], 'seconds');
  if (change.memorySizeMb !== undefined)
    integerIn('MemorySize', 'memorySize', change.memorySizeMb, [128, 10240], 'MB');
  if (change.ephemeralStorageMb !== undefined) {
    const size = change.ephemeralStorageMb;
    integerIn('EphemeralStorage.Size', 'ephemeralStorage.size', size, [512, 10240], 'MB');
  }
  if (change.architecture !== undefined && !['x86_64', 'arm64'].includes(change.architecture)) {
    throw new InvalidRequestError(
      `Architectures "${change.architecture}" is not valid: it must be x86_64 or arm64`,
      { field: 'Architectures' },
    );
  }
  if (change.environment !== undefined) checkEnvironment(change.environment);
}

/** `base` with `change` applied, checked first (nothing is applied when a value is bad). */
export function applyConfiguration(
  base: FunctionConfiguration,
  change: ConfigurationChange,
): FunctionConfiguration {
  checkConfiguration(change);
  const defined = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
  return { ...base, ...defined, environment: { ...(change.environment ?? base.environment) } };
}

/** The configuration fields of a stored record, Lambda's defaults for fields it lacks. */
export function configurationOf(stored: Partial<FunctionConfiguration>): FunctionConfiguration {
  return {
    timeoutSeconds: stored.timeoutSeconds ?? DEFAULT_CONFIGURATION.timeoutSeconds,
    memorySizeMb: stored.memorySizeMb ?? DEFAULT_CONFIGURATION.memorySizeMb,
    environment: { ...(stored.environment ?? {}) },
    architecture: stored.architecture ?? DEFAULT_CONFIGURATION.architecture,
    ephemeralStorageMb: stored.ephemeralStorageMb ?? DEFAULT_CONFIGURATION.ephemeralStorageMb,
  };
}
