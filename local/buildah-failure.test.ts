import { describe, expect, it } from 'vitest';
import { describeBuildahFailure, dockerfileInstructions } from './buildah-failure.ts';

// As buildah 1.x prints them (seen here on Debian 12).
const RUN_FAILED = [
  'STEP 1/3: FROM localhost/ferry/busybox',
  'STEP 2/3: RUN echo preparing',
  'preparing',
  '--> e8c66b6df95',
  'STEP 3/3: RUN set -eu;     make all',
  'make: *** [all] Error 2',
  'subprocess exited with status 2',
  'Error: building at STEP "RUN set -eu;     make all": exit status 2',
];

describe('describeBuildahFailure', () => {
  it('names a RUN step by its exit code and Dockerfile line, continuation lines joined', () => {
    const dockerfile =
      'FROM localhost/ferry/busybox\n# build it\nRUN echo preparing\nRUN set -eu; \\\n    make all\n';
    expect(describeBuildahFailure(RUN_FAILED, dockerfile, 'buildah failed')).toBe(
      'RUN exit 2 (Dockerfile line 4): set -eu; make all',
    );
  });

  it("quotes buildah's error for another instruction", () => {
    const log = [
      'STEP 1/2: FROM localhost/ferry/busybox',
      'STEP 2/2: COPY nothere /x',
      'Error: building at STEP "COPY nothere /x": checking on sources under "/tmp/s": copier: stat: "/nothere": no such file or directory',
    ];
    expect(
      describeBuildahFailure(log, 'FROM localhost/ferry/busybox\nCOPY nothere /x\n', 'x'),
    ).toBe(
      'COPY nothere /x (Dockerfile line 2): checking on sources under "/tmp/s": copier: stat: "/nothere": no such file or directory',
    );
  });

  it('gives the fallback when no step failed (the failure came before or after the steps)', () => {
    expect(
      describeBuildahFailure(['Getting image source signatures'], undefined, 'push failed'),
    ).toBe('push failed');
    expect(describeBuildahFailure(RUN_FAILED.slice(0, 4), undefined, 'commit failed')).toBe(
      'commit failed',
    );
  });

  it('leaves the line out when the Dockerfile does not hold the step', () => {
    expect(describeBuildahFailure(RUN_FAILED, 'FROM scratch\n', 'x')).toBe(
      'RUN exit 2: set -eu; make all',
    );
  });
});

describe('dockerfileInstructions', () => {
  it('numbers each instruction by its first line, skipping blanks and comments', () => {
    expect(dockerfileInstructions('\n# c\nFROM a\r\nRUN x \\\n  # inner\n  y\nCMD z')).toEqual([
      { line: 3, text: 'FROM a' },
      { line: 4, text: 'RUN x y' },
      { line: 7, text: 'CMD z' },
    ]);
  });
});
