import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUILD_LABEL_VARIABLES,
  BUILD_VARIABLES,
  buildOverrides,
} from '../../services/core/build-environment.ts';
import {
  buildspecCommands,
  buildspecText,
  inputDrift,
  unquotedFerryExpansions,
} from './support/buildspec.ts';

/** What the build script must read: every schema variable but the labels. */
const SCRIPT_INPUTS = BUILD_VARIABLES.filter((name) => !BUILD_LABEL_VARIABLES.includes(name));

describe('File: infra/buildspec.yml (static)', () => {
  const commands = buildspecCommands();

  it('has a pre_build and a build script', () => {
    expect(commands).toHaveLength(2);
  });

  it('never expands a FERRY_* value outside double quotes', () => {
    for (const command of commands) expect(unquotedFerryExpansions(command)).toEqual([]);
  });

  it('finds an unquoted expansion when there is one (the check can fail)', () => {
    const broken = `${commands[1]}\ndocker push $FERRY_IMAGE_REPOSITORY:"$FERRY_IMAGE_TAG"`;
    expect(unquotedFerryExpansions(broken)).toEqual([
      {
        line: 'docker push $FERRY_IMAGE_REPOSITORY:"$FERRY_IMAGE_TAG"',
        variable: 'FERRY_IMAGE_REPOSITORY',
      },
    ]);
    expect(unquotedFerryExpansions('x="$(cat $FERRY_CONTEXT)"')).toHaveLength(1);
  });

  it('reads exactly the variables of the build environment schema (labels aside), no other FERRY_* input', () => {
    expect(SCRIPT_INPUTS.length).toBeGreaterThan(0);
    expect(inputDrift(commands.join('\n'), SCRIPT_INPUTS)).toEqual({ missing: [], unexpected: [] });
  });

  it('finds a schema variable the buildspec stops reading, and an input the schema lacks (the check can fail)', () => {
    const script = commands.join('\n');
    const noPlatform = script.replaceAll('"$FERRY_PLATFORM"', 'linux/amd64');
    expect(inputDrift(noPlatform, SCRIPT_INPUTS)).toEqual({
      missing: ['FERRY_PLATFORM'],
      unexpected: [],
    });
    const extra = `${script}\nprintf '%s' "$FERRY_CACHE_MODE"`;
    expect(inputDrift(extra, SCRIPT_INPUTS)).toEqual({
      missing: [],
      unexpected: ['FERRY_CACHE_MODE'],
    });
    // A variable the script sets itself is its output, not an input.
    expect(inputDrift('FERRY_OUT="$(date)"\necho "$FERRY_OUT"', [])).toEqual({
      missing: [],
      unexpected: [],
    });
  });

  it('never evaluates text: no eval, source, sh -c or bash -c', () => {
    for (const command of commands) {
      const code = command.replace(/^\s*#.*$/gm, '');
      expect(code).not.toMatch(/(^|[;&|]|\bthen|\bdo|\belse)\s*(eval|source|\.)\s/m);
      expect(code).not.toMatch(/\b(ba)?sh\s+-c\b/);
    }
  });

  it('runs bash and exports the image digest', () => {
    const text = buildspecText();
    expect(text).toMatch(
      /^env:\n {2}shell: bash\n {2}exported-variables:\n {4}- FERRY_IMAGE_DIGEST$/m,
    );
  });

  it('builds with BuildKit for the requested platform, with an ECR registry cache, and pushes the candidate', () => {
    const build = commands[1] as string;
    expect(build).toContain('docker buildx build');
    expect(build).toContain('--platform "$FERRY_PLATFORM"');
    expect(build).toContain(
      '--cache-from "type=registry,ref=$FERRY_IMAGE_REPOSITORY:ferry-buildcache"',
    );
    expect(build).toContain(
      '--cache-to "type=registry,ref=$FERRY_IMAGE_REPOSITORY:ferry-buildcache,mode=max,',
    );
    expect(build).toContain('--tag "$FERRY_IMAGE_REPOSITORY:$FERRY_IMAGE_TAG"');
    expect(build).toContain('--push');
  });
});

/**
 * The buildspec's scripts run for real in bash, with `git`, `aws` and `docker` replaced by stubs
 * that record their arguments: what reaches docker is exactly what the scripts pass.
 */
describe('File: infra/buildspec.yml (executed with stub git/aws/docker)', () => {
  let root: string;
  let run: (env: Record<string, string>) => {
    status: number | null;
    stderr: string;
    stdout: string;
    dockerArgs: string[];
  };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'ferry-buildspec-'));
    const bin = join(root, 'bin');
    const source = join(root, 'source');
    mkdirSync(bin);
    mkdirSync(join(source, 'app'), { recursive: true });
    writeFileSync(join(source, 'app', 'Dockerfile'), 'FROM scratch\n');
    symlinkSync('/etc', join(source, 'escape'));
    spawnSync('tar', ['-czf', join(root, 'source.tgz'), '-C', source, '.']);
    const stub = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    stub(
      'git',
      `if [ "$3" = checkout ]; then cp -a "${source}/." "$2/"; fi; printf '%s\\n' "$*" >> "${root}/git.log"`,
    );
    stub(
      'aws',
      `case "$1 $2" in "ecr get-login-password") echo token ;; "s3 cp") cp "${root}/source.tgz" "$5" ;; esac`,
    );
    stub(
      'docker',
      `if [ "$1 $2" = "buildx build" ]; then
  printf '%s\\0' "$@" > "${root}/docker.args"
  while [ $# -gt 0 ]; do [ "$1" = --metadata-file ] && printf '{"containerimage.digest":"sha256:abc"}' > "$2"; shift; done
fi
cat > /dev/null`,
    );
    const [preBuild, build] = buildspecCommands().map((c) =>
      c.replaceAll('/tmp/ferry', join(root, 'work')),
    );
    run = (env) => {
      rmSync(join(root, 'work'), { recursive: true, force: true });
      rmSync(join(root, 'docker.args'), { force: true });
      // What Prepare would send (every schema variable), then the case's raw values.
      const planned = buildOverrides({
        FERRY_DEPLOYMENT_ID: 'd1',
        FERRY_SOURCE_URL: 'https://git.example.com/team/app.git',
        FERRY_SOURCE_REF: 'main',
        FERRY_DOCKERFILE: 'Dockerfile',
        FERRY_CONTEXT: 'app',
        FERRY_BUILD_ARGS: {},
        FERRY_IMAGE_REPOSITORY: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/ferry-builds',
        FERRY_IMAGE_TAG: 'ferry-candidate-d1',
        FERRY_PLATFORM: 'linux/arm64',
      });
      const base = {
        PATH: `${bin}:${process.env.PATH}`,
        HOME: root,
        ...Object.fromEntries(planned.map((v) => [v.Name, v.Value])),
        ...env,
      };
      // Like CodeBuild: the pre_build script, then (if it passed) the build script.
      let result = spawnSync('bash', ['-c', preBuild as string], { env: base, encoding: 'utf8' });
      if (result.status === 0)
        result = spawnSync('bash', ['-c', build as string], { env: base, encoding: 'utf8' });
      const argsFile = join(root, 'docker.args');
      const dockerArgs = existsSync(argsFile)
        ? readFileSync(argsFile, 'utf8').split('\0').slice(0, -1)
        : [];
      return { status: result.status, stderr: result.stderr, stdout: result.stdout, dockerArgs };
    };
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('passes each build arg as one argument, whatever it contains, and runs nothing from it', () => {
    const marker = join(root, 'pwned');
    const result = run({
      FERRY_BUILD_ARGS: JSON.stringify({
        GREETING: 'hello world',
        EVIL: `$(touch ${marker})`,
        LINES: 'a\nb',
      }),
    });
    expect(result.status).toBe(0);
    expect(result.dockerArgs).toEqual([
      'buildx',
      'build',
      '--platform',
      'linux/arm64',
      '--file',
      join(root, 'work/src/app/Dockerfile'),
      '--build-arg',
      'GREETING=hello world',
      '--build-arg',
      `EVIL=$(touch ${marker})`,
      '--build-arg',
      'LINES=a\nb',
      '--cache-from',
      'type=registry,ref=123456789012.dkr.ecr.eu-west-1.amazonaws.com/ferry-builds:ferry-buildcache',
      '--cache-to',
      'type=registry,ref=123456789012.dkr.ecr.eu-west-1.amazonaws.com/ferry-builds:ferry-buildcache,mode=max,image-manifest=true,oci-mediatypes=true',
      '--provenance=false',
      '--sbom=false',
      '--tag',
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/ferry-builds:ferry-candidate-d1',
      '--metadata-file',
      join(root, 'work/build.json'),
      '--push',
      join(root, 'work/src/app'),
    ]);
    expect(existsSync(marker)).toBe(false);
    expect(result.stdout).toContain('@sha256:abc');
  });

  it('builds from an s3:// archive', () => {
    const result = run({ FERRY_SOURCE_URL: 's3://ferry-sources/app.tgz' });
    expect(result.status).toBe(0);
    expect(result.dockerArgs.at(-1)).toBe(join(root, 'work/src/app'));
  });

  it.each([
    ['a context with ..', { FERRY_CONTEXT: '../outside' }, 'FERRY_CONTEXT must be a relative path'],
    [
      'an absolute Dockerfile',
      { FERRY_DOCKERFILE: '/etc/passwd' },
      'FERRY_DOCKERFILE must be a relative path',
    ],
    [
      'a context that is an option',
      { FERRY_CONTEXT: '--help' },
      'FERRY_CONTEXT must be a relative path',
    ],
    [
      'a context symlinked out of the source',
      { FERRY_CONTEXT: 'escape' },
      "FERRY_CONTEXT 'escape' leaves the source",
    ],
    [
      'a ref that is a git option',
      { FERRY_SOURCE_REF: '--upload-pack=touch /tmp/x' },
      'is not a branch, tag or commit',
    ],
    [
      'another URL scheme',
      { FERRY_SOURCE_URL: 'file:///etc' },
      'must start with https:// or s3://',
    ],
    [
      'build args that are not an object of strings',
      { FERRY_BUILD_ARGS: '["A=1"]' },
      'FERRY_BUILD_ARGS must be a JSON object',
    ],
  ])('refuses %s before docker runs', (_, env, message) => {
    const result = run(env);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(message);
    expect(result.dockerArgs).toEqual([]);
  });
});
