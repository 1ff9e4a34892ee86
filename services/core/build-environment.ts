/**
 * The FERRY_* environment of a source build, defined once: each variable's name, what it may
 * hold and how it is written as a string. Prepare encodes a plan into CodeBuild's
 * EnvironmentVariablesOverride; infra/buildspec.yml and local mode's builder read the same names
 * (a test checks the buildspec reads each but the labels). Pure: callers pass the environment in.
 */
import { z } from 'zod';
import { InvalidRequestError } from './errors.ts';
import { isTag, parseImageRef } from './image-ref.ts';

// The buildspec's rules, so a plan Prepare accepts is one the build script accepts.
const REF = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,254}$/;

/** True for a git branch, tag or commit name the builds accept. */
export const isGitRef = (value: string): boolean => REF.test(value);
const BUILD_ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Step Functions execution-name characters: the id also names the execution.
const DEPLOYMENT_ID = /^[A-Za-z0-9_-]{1,80}$/;

const BUILD_ARGS_RULE =
  'must be a JSON object of string values with NAME-like keys, e.g. {"VERSION":"1"}';

/** A string variable that must satisfy `ok`; `rule` says what it must be, for the person fixing it. */
const text = (rule: string, ok: (value: string) => boolean) =>
  z.string({ error: rule }).refine(ok, { error: rule });

/** True for a Dockerfile or context path the builds accept: relative, inside the source, no option-like start. */
export function isRelativePath(value: string): boolean {
  // A leading - would read as an option to git, docker or buildah; control characters end up in logs.
  return (
    value !== '' &&
    !value.startsWith('/') &&
    !value.startsWith('-') &&
    !value.split('/').includes('..') &&
    ![...value].some((c) => c.charCodeAt(0) < 0x20)
  );
}

function isSourceUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === 'file:') return true;
  return (url.protocol === 'https:' || url.protocol === 's3:') && url.hostname !== '';
}

function isRepository(value: string): boolean {
  try {
    const ref = parseImageRef(value);
    return ref.tag === undefined && ref.digest === undefined;
  } catch {
    return false;
  }
}

function isBuildArgs(value: unknown): value is Readonly<Record<string, string>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  // NUL cannot travel in an argv entry, so such a value could not reach the build intact.
  return Object.entries(value).every(
    ([k, v]) => BUILD_ARG_NAME.test(k) && typeof v === 'string' && !v.includes('\0'),
  );
}

// The environment carries JSON; the plan carries the object, so no caller builds the JSON by hand.
const buildArgs = z.codec(
  z.string({ error: BUILD_ARGS_RULE }),
  z.custom<Readonly<Record<string, string>>>(isBuildArgs, { error: BUILD_ARGS_RULE }),
  {
    decode: (json, ctx) => {
      try {
        // Any JSON: the output schema checks its shape next.
        return JSON.parse(json);
      } catch {
        ctx.issues.push({ code: 'custom', message: BUILD_ARGS_RULE, input: json });
        return z.NEVER;
      }
    },
    encode: (args) => JSON.stringify(args),
  },
);

/** The FERRY_* variables of a source build, in the order Prepare sends them. */
export const buildEnvironmentSchema = z.object({
  FERRY_DEPLOYMENT_ID: text('must be a deployment id (letters, digits, - and _, up to 80)', (v) =>
    DEPLOYMENT_ID.test(v),
  ),
  // Each builder fetches a subset of these schemes and refuses the others itself.
  FERRY_SOURCE_URL: text(
    'must start with https:// or file:// in local mode, https:// or s3:// on AWS, and carry no credentials',
    isSourceUrl,
  ),
  FERRY_SOURCE_REF: text(
    "is not a branch, tag or commit name: use letters, digits and ._/-, starting with a letter or digit, or '' for the default branch",
    (v) => v === '' || isGitRef(v),
  ),
  FERRY_DOCKERFILE: text(
    "must be a relative path without '..' from the context (not empty, not starting with / or -)",
    isRelativePath,
  ),
  FERRY_CONTEXT: text(
    "must be a relative path without '..' inside the source (not empty, not starting with / or -)",
    isRelativePath,
  ),
  FERRY_BUILD_ARGS: buildArgs,
  FERRY_IMAGE_REPOSITORY: text(
    'must be an image repository ([registry/]lowercase/path) without a tag or digest',
    isRepository,
  ),
  FERRY_IMAGE_TAG: text(
    'must be an image tag (letters, digits, _ . -, up to 128, not starting with . or -)',
    isTag,
  ),
  FERRY_PLATFORM: z.enum(['linux/amd64', 'linux/arm64'], {
    error: 'must be linux/amd64 or linux/arm64 (for an x86_64 or an arm64 function)',
  }),
});

/** A source build's plan, decoded: what Prepare encodes and the builders read back. */
export type BuildEnvironment = z.output<typeof buildEnvironmentSchema>;

/** The name of a FERRY_* build variable. */
export type BuildVariable = keyof BuildEnvironment;

/** Every FERRY_* build variable, in the order Prepare sends them. */
export const BUILD_VARIABLES: readonly BuildVariable[] = buildEnvironmentSchema.keyof().options;

/**
 * Variables the build script need not read: they label the build (CodeBuild shows its
 * environment next to the logs, so a build can be traced to its deployment).
 */
export const BUILD_LABEL_VARIABLES: readonly BuildVariable[] = ['FERRY_DEPLOYMENT_ID'];

/** One entry of CodeBuild's `EnvironmentVariablesOverride`. */
export interface BuildOverride {
  readonly Name: BuildVariable;
  readonly Value: string;
  readonly Type: 'PLAINTEXT';
}

/** The plan as CodeBuild overrides; throws InvalidRequestError naming each variable it refuses. */
export function buildOverrides(plan: BuildEnvironment): BuildOverride[] {
  const encoded = buildEnvironmentSchema.safeEncode(plan);
  if (!encoded.success) throw invalid(encoded.error, plan);
  return BUILD_VARIABLES.map((Name) => ({ Name, Value: encoded.data[Name], Type: 'PLAINTEXT' }));
}

/**
 * Reads the plan back from an environment (other variables are ignored); throws
 * InvalidRequestError naming each missing or refused variable and what it must be.
 */
export function parseBuildEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): BuildEnvironment {
  // The cast only meets decode's typed input: decoding checks every value anyway.
  const decoded = buildEnvironmentSchema.safeDecode(env as z.input<typeof buildEnvironmentSchema>);
  if (!decoded.success) throw invalid(decoded.error, env);
  return decoded.data;
}

/** One sentence per refused variable, its first issue only: each rule already says what to set. */
function invalid(
  error: z.ZodError,
  values: Readonly<Record<string, unknown>>,
): InvalidRequestError {
  const sentences = new Map<string, string>();
  for (const issue of error.issues) {
    const name = String(issue.path[0]);
    if (!sentences.has(name)) sentences.set(name, sentence(name, issue.message, values[name]));
  }
  return new InvalidRequestError(`invalid build environment: ${[...sentences.values()].join(' ')}`);
}

function sentence(name: string, rule: string, value: unknown): string {
  if (value === undefined) {
    return `${name} is not set; a build needs all of ${BUILD_VARIABLES.join(', ')}, as Prepare plans them.`;
  }
  // Build args may hold values their owner would not want in a log: never echoed.
  if (typeof value !== 'string' || name === 'FERRY_BUILD_ARGS') return `${name} ${rule}.`;
  // Nor a URL's credentials: the message lands in the build log and the deployment record.
  const shown = value.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/@]*@/, '$1***@').slice(0, 200);
  return `${name} ${rule}; got ${JSON.stringify(shown)}.`;
}
