import { describe, expect, it } from 'vitest';
import {
  BUILD_REASON_MAX_CHARS,
  buildFailureReason,
  buildFailureSummary,
  failedBuildOf,
  plainLine,
} from './build-failure.ts';

describe('failedBuildOf', () => {
  it("reads Step Functions' PascalCase Build, the API's camelCase one, or a bare Build", () => {
    const phases = (k: (s: string) => string) => [
      { [k('PhaseType')]: 'SUBMITTED', [k('PhaseStatus')]: 'SUCCEEDED' },
      {
        [k('PhaseType')]: 'PRE_BUILD',
        [k('PhaseStatus')]: 'FAILED',
        [k('Contexts')]: [
          {
            [k('StatusCode')]: 'COMMAND_EXECUTION_ERROR',
            [k('Message')]: 'Error while executing command: fail. Reason: exit status 1',
          },
        ],
      },
    ];
    const camel = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
    const expected = {
      id: 'ferry-build-x86_64:1',
      status: 'FAILED',
      phase: {
        type: 'PRE_BUILD',
        code: 'COMMAND_EXECUTION_ERROR',
        message: 'Error while executing command: fail. Reason: exit status 1',
      },
      link: 'https://console/1',
    };
    const pascal = {
      Id: 'ferry-build-x86_64:1',
      BuildStatus: 'FAILED',
      Phases: phases((s) => s),
      Logs: { DeepLink: 'https://console/1' },
    };
    const lower = {
      id: 'ferry-build-x86_64:1',
      buildStatus: 'FAILED',
      phases: phases(camel),
      logs: { deepLink: 'https://console/1' },
    };

    expect(failedBuildOf(JSON.stringify({ Build: pascal }))).toEqual(expected);
    expect(failedBuildOf(JSON.stringify(pascal))).toEqual(expected);
    expect(failedBuildOf(lower)).toEqual(expected);
  });

  it('answers null for a Cause that holds no build', () => {
    expect(failedBuildOf('not json')).toBeNull();
    expect(failedBuildOf(JSON.stringify({ errorMessage: 'x' }))).toBeNull();
    expect(failedBuildOf(undefined)).toBeNull();
  });
});

describe('buildFailureReason', () => {
  const build = {
    id: 'b:1',
    status: 'FAILED',
    phase: { type: 'BUILD', message: 'RUN exit 3: make' },
  };

  it('quotes the last ten non-blank lines, escapes stripped and trimmed', () => {
    const lines = [
      '',
      ...Array.from({ length: 12 }, (_, i) => ` \u001b[32mline ${i}\u001b[0m `),
      '  ',
    ];
    expect(buildFailureReason(build, lines)).toBe(
      `build failed: RUN exit 3: make — last lines: ${Array.from({ length: 10 }, (_, i) => `line ${i + 2}`).join(' | ')}`,
    );
  });

  it('stays within its bound, keeping the newest lines whole and cutting a huge one', () => {
    const lines = Array.from({ length: 10 }, (_, i) => `${i}:${'x'.repeat(400)}`);
    const reason = buildFailureReason(build, lines);
    expect(reason.length).toBeLessThanOrEqual(BUILD_REASON_MAX_CHARS);
    expect(reason).toMatch(/9:x+…$/);
    expect(reason).not.toContain('0:x');
  });

  it('says which phase failed when CodeBuild gave no message, and the status without phases', () => {
    expect(
      buildFailureReason(
        { id: 'b:1', status: 'FAILED', phase: { type: 'PROVISIONING', code: 'CLIENT_ERROR' } },
        [],
      ),
    ).toBe('build failed: PROVISIONING phase failed (CLIENT_ERROR)');
    expect(buildFailureReason({ id: 'b:1', status: 'TIMED_OUT' }, [])).toBe(
      'build failed: build b:1 ended TIMED_OUT',
    );
  });

  it('plainLine removes colours and control characters but keeps tabs', () => {
    expect(plainLine('\u001b[1;31merror\u001b[0m\tx\u0007')).toBe('error\tx');
  });
});

describe('buildFailureSummary', () => {
  const codebuild = {
    id: 'ferry-build-x86_64:2',
    status: 'FAILED',
    phase: {
      type: 'BUILD',
      code: 'COMMAND_EXECUTION_ERROR',
      message:
        'Error while executing command: set -euo pipefail\nfail() { … }\ndocker buildx build …. Reason: exit status 1',
    },
  };

  it("names BuildKit's failed RUN, its exit code and Dockerfile line from the log", () => {
    // As `docker buildx build` prints a failed RUN in CodeBuild (plain progress).
    const log = [
      '#8 [2/3] RUN make all',
      '#8 0.412 make: *** [all] Error 2',
      '#8 ERROR: process "/bin/sh -c make all" did not complete successfully: exit code: 2',
      '------',
      ' > [2/3] RUN make all:',
      '------',
      'Dockerfile:5',
      '--------------------',
      '   5 | >>> RUN make all',
      '--------------------',
      'ERROR: failed to solve: process "/bin/sh -c make all" did not complete successfully: exit code: 2',
      '[Container] Command did not exit successfully docker buildx build exit status 1',
    ];
    expect(buildFailureSummary(codebuild, log)).toBe('RUN exit 2 (Dockerfile line 5): make all');
  });

  it("quotes the buildspec's own refusal, and BuildKit's other errors", () => {
    expect(
      buildFailureSummary(codebuild, [
        "ferry build: FERRY_DOCKERFILE 'Dockerfile' does not exist in the context",
        '[Container] Phase complete: PRE_BUILD State: FAILED',
      ]),
    ).toBe("FERRY_DOCKERFILE 'Dockerfile' does not exist in the context");
    expect(
      buildFailureSummary(codebuild, [
        'ERROR: failed to build: failed to solve: public.ecr.aws/x/base:1: not found',
      ]),
    ).toBe('public.ecr.aws/x/base:1: not found');
  });

  it("keeps only the Reason of CodeBuild's message when the log says nothing more", () => {
    expect(buildFailureSummary(codebuild, ['[Container] Running command make'])).toBe(
      'BUILD phase: exit status 1',
    );
  });
});
