import { describe, expect, it } from 'vitest';
import {
  BUILD_VARIABLES,
  type BuildEnvironment,
  type BuildVariable,
  buildOverrides,
  parseBuildEnvironment,
} from './build-environment.ts';
import { InvalidRequestError } from './errors.ts';

const REPOSITORY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/ferry-builds';

const plan: BuildEnvironment = {
  FERRY_DEPLOYMENT_ID: 'd-01JDQ4Z9X8M2N3P4Q5R6S7T8V9',
  FERRY_SOURCE_URL: 'https://github.com/acme/api.git',
  FERRY_SOURCE_REF: 'release/v2.0.0',
  FERRY_DOCKERFILE: 'docker/Lambda.Dockerfile',
  FERRY_CONTEXT: 'services/api',
  FERRY_BUILD_ARGS: { NODE_ENV: 'production', QUOTE: `it's "$(rm -rf /)"`, LINES: 'a\nb' },
  FERRY_IMAGE_REPOSITORY: REPOSITORY,
  FERRY_IMAGE_TAG: 'ferry-candidate-d-01JDQ4Z9X8M2N3P4Q5R6S7T8V9',
  FERRY_PLATFORM: 'linux/arm64',
};

/** The plan as a build's environment (name → value). */
const environment = (overrides = buildOverrides(plan)) =>
  Object.fromEntries(overrides.map((v) => [v.Name, v.Value])) as Record<BuildVariable, string>;

/** The error parsing `env` throws. */
function refusal(env: Record<string, string | undefined>): InvalidRequestError {
  try {
    parseBuildEnvironment(env);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    return error as InvalidRequestError;
  }
  throw new Error('the environment was accepted');
}

describe('Schema: build environment', () => {
  it('names nine variables, in the order Prepare sends them', () => {
    expect(BUILD_VARIABLES).toEqual([
      'FERRY_DEPLOYMENT_ID',
      'FERRY_SOURCE_URL',
      'FERRY_SOURCE_REF',
      'FERRY_DOCKERFILE',
      'FERRY_CONTEXT',
      'FERRY_BUILD_ARGS',
      'FERRY_IMAGE_REPOSITORY',
      'FERRY_IMAGE_TAG',
      'FERRY_PLATFORM',
    ]);
  });

  it('encodes a plan as PLAINTEXT overrides, build args as JSON', () => {
    const overrides = buildOverrides(plan);
    expect(overrides.map((v) => v.Name)).toEqual(BUILD_VARIABLES);
    expect(overrides.every((v) => v.Type === 'PLAINTEXT' && typeof v.Value === 'string')).toBe(
      true,
    );
    expect(environment(overrides).FERRY_BUILD_ARGS).toBe(JSON.stringify(plan.FERRY_BUILD_ARGS));
  });

  it('reads back the plan it encoded (round trip), ignoring other variables', () => {
    const env = { ...environment(), PATH: '/usr/bin', FERRY_IMAGE_DIGEST: 'sha256:abc' };
    expect(parseBuildEnvironment(env)).toEqual(plan);
  });

  it.each([
    ['the default branch', { FERRY_SOURCE_REF: '' }],
    ['an s3:// archive', { FERRY_SOURCE_URL: 's3://ferry-sources/app.tgz' }],
    ['a file:// directory', { FERRY_SOURCE_URL: 'file:///home/me/app' }],
    ['the source root as context', { FERRY_CONTEXT: '.' }],
    ['a local registry with a port', { FERRY_IMAGE_REPOSITORY: '127.0.0.1:5000/ferry/builds' }],
    ['no build args', { FERRY_BUILD_ARGS: '{}' }],
    ['linux/amd64', { FERRY_PLATFORM: 'linux/amd64' }],
  ])('accepts %s', (_, vars) => {
    expect(() => parseBuildEnvironment({ ...environment(), ...vars })).not.toThrow();
  });

  it.each<[BuildVariable, string, string]>([
    ['FERRY_DEPLOYMENT_ID', '', 'must be a deployment id'],
    ['FERRY_DEPLOYMENT_ID', 'd 1; rm', 'must be a deployment id'],
    ['FERRY_SOURCE_URL', 'http://git.example.com/app.git', 'must start with https:// or file://'],
    ['FERRY_SOURCE_URL', 'git@github.com:acme/api.git', 'must start with https://'],
    ['FERRY_SOURCE_URL', 'https://user:token@github.com/acme/api.git', 'carry no credentials'],
    ['FERRY_SOURCE_REF', '--upload-pack=touch /tmp/x', 'is not a branch, tag or commit name'],
    ['FERRY_SOURCE_REF', '.hidden', 'is not a branch, tag or commit name'],
    ['FERRY_DOCKERFILE', '/etc/passwd', "must be a relative path without '..'"],
    ['FERRY_DOCKERFILE', '--help', 'must be a relative path'],
    ['FERRY_DOCKERFILE', '', 'must be a relative path'],
    ['FERRY_CONTEXT', '../outside', "must be a relative path without '..'"],
    ['FERRY_CONTEXT', 'a/../../b', 'must be a relative path'],
    ['FERRY_CONTEXT', 'app\nrm', 'must be a relative path'],
    ['FERRY_BUILD_ARGS', 'not json', 'must be a JSON object of string values'],
    ['FERRY_BUILD_ARGS', '["A=1"]', 'must be a JSON object of string values'],
    ['FERRY_BUILD_ARGS', 'null', 'must be a JSON object of string values'],
    ['FERRY_BUILD_ARGS', '{"bad name":"x"}', 'with NAME-like keys'],
    ['FERRY_BUILD_ARGS', '{"A":1}', 'must be a JSON object of string values'],
    ['FERRY_BUILD_ARGS', '{"A":"a\\u0000b"}', 'must be a JSON object of string values'],
    ['FERRY_IMAGE_REPOSITORY', 'Team/App', 'must be an image repository'],
    ['FERRY_IMAGE_REPOSITORY', `${REPOSITORY}:latest`, 'without a tag or digest'],
    ['FERRY_IMAGE_TAG', '-x', 'must be an image tag'],
    ['FERRY_IMAGE_TAG', 'a:b', 'must be an image tag'],
    ['FERRY_PLATFORM', 'linux/386', 'must be linux/amd64 or linux/arm64'],
    ['FERRY_PLATFORM', 'arm64', 'must be linux/amd64 or linux/arm64'],
  ])('refuses %s=%j, naming the variable and what it must be', (name, value, rule) => {
    const { message } = refusal({ ...environment(), [name]: value });
    expect(message.startsWith(`invalid build environment: ${name} `)).toBe(true);
    expect(message).toContain(rule);
    // Only the refused variable is named: every other one was valid.
    for (const other of BUILD_VARIABLES.filter((v) => v !== name))
      expect(message).not.toContain(other);
  });

  it('quotes a refused value, but never build args or URL credentials', () => {
    expect(refusal({ ...environment(), FERRY_CONTEXT: '../up' }).message).toContain('got "../up"');
    const url = 'https://bot:s3cr3t@git.example.com/a.git';
    expect(refusal({ ...environment(), FERRY_SOURCE_URL: url }).message).toContain(
      'got "https://***@git.example.com/a.git"',
    );
    const secret = '{"bad name":"s3cr3t"}';
    expect(refusal({ ...environment(), FERRY_BUILD_ARGS: secret }).message).not.toContain('s3cr3t');
  });

  it('names a missing variable and the full set a build needs', () => {
    const { FERRY_IMAGE_TAG: _, ...env } = environment();
    expect(refusal(env).message).toBe(
      `invalid build environment: FERRY_IMAGE_TAG is not set; a build needs all of ${BUILD_VARIABLES.join(', ')}, as Prepare plans them.`,
    );
  });

  it('names every refused variable once, in schema order', () => {
    const { message } = refusal({
      ...environment(),
      FERRY_PLATFORM: 'linux/s390x',
      FERRY_CONTEXT: '/',
      FERRY_BUILD_ARGS: '[1]',
    });
    const named = BUILD_VARIABLES.filter((v) => message.includes(`${v} `));
    expect(named).toEqual(['FERRY_CONTEXT', 'FERRY_BUILD_ARGS', 'FERRY_PLATFORM']);
  });

  it('refuses to encode a plan the builders would refuse', () => {
    expect(() => buildOverrides({ ...plan, FERRY_DOCKERFILE: '../Dockerfile' })).toThrow(
      /^invalid build environment: FERRY_DOCKERFILE must be a relative path without '\.\.'/,
    );
    expect(() => buildOverrides({ ...plan, FERRY_BUILD_ARGS: { 'A-B': 'x' } })).toThrow(
      /^invalid build environment: FERRY_BUILD_ARGS must be a JSON object/,
    );
  });
});
