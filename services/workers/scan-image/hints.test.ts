import { describe, expect, it } from 'vitest';
import { type HintFacts, imageHints, MAX_HINTS } from './hints.ts';
import type { AttributedLayer } from './layers.ts';

const MiB = 1024 ** 2;

/** Layers from [line, MiB, fromBase?] triples, numbered bottom first. */
function facts(
  specs: Array<[string | undefined, number, boolean?]>,
  baseImage: string | null = null,
): HintFacts {
  const layers: AttributedLayer[] = specs.map(([createdBy, size, fromBase], i) => ({
    index: i + 1,
    digest: `sha256:${i}`,
    sizeBytes: size * MiB,
    ...(createdBy ? { createdBy } : {}),
    ...(fromBase !== undefined ? { fromBase } : {}),
  }));
  return { layers, baseImage, compressedBytes: layers.reduce((s, l) => s + l.sizeBytes, 0) };
}

describe('Function: imageHints', () => {
  it('gives no hint for a slim, multi-stage-looking image', () => {
    expect(
      imageHints(
        facts(
          [
            ['ENV PATH=/bin', 1, true],
            ['COPY --from=build /app /var/task', 2, false],
          ],
          'public.ecr.aws/lambda/nodejs:20',
        ),
      ),
    ).toEqual([]);
  });

  it('suggests a slim base for a full distribution base image, with its layers’ size', () => {
    const [hint] = imageHints(
      facts(
        [
          ['ADD file:abc in /', 300, true],
          ['COPY app.js /var/task/', 1, false],
        ],
        'docker.io/library/node:20',
      ),
    );
    expect(hint).toBe(
      'Suggestion: the base image docker.io/library/node:20 is a full distribution image (its layers: 300.0 MiB, 100% of the image); a -slim or -alpine variant, or an AWS Lambda base image (public.ecr.aws/lambda/…, cached by Lambda), is usually much smaller.',
    );
  });

  it.each([
    'node:20-slim',
    'python:3.12-alpine',
    'public.ecr.aws/lambda/python:3.12',
    'gcr.io/distroless/nodejs20',
  ])('does not call %s a full base', (base) => {
    expect(imageHints(facts([['ADD file:abc in /', 300, true]], base))).toEqual([]);
  });

  it('suggests a slimmer base when the bottom layer dominates and the base is unknown', () => {
    const [hint] = imageHints(
      facts([
        [undefined, 120],
        ['COPY app.js /var/task/', 2],
      ]),
    );
    expect(hint).toMatch(
      /^Suggestion: layer 1 \(120\.0 MiB, 98%\) is the bottom layer, usually the base image's/,
    );
  });

  it('does not blame a small bottom layer', () => {
    expect(
      imageHints(
        facts([
          [undefined, 3],
          ['COPY app.js /var/task/', 1],
        ]),
      ),
    ).toEqual([]);
  });

  it('names build tools installed in the final image, and apt lists left behind', () => {
    const hints = imageHints(
      facts([['RUN apt-get update && apt-get install -y gcc make python3-dev git', 180]]),
    );
    expect(hints).toEqual([
      'Suggestion: layer 1 (RUN apt-get update && apt-get install -y gcc make python3-dev git, 180.0 MiB, 100%) installs build tools (gcc, make, python3-dev, git) into the final image: install them only in a build stage and copy the output (multi-stage build), or remove them in the same RUN.',
      "Suggestion: layer 1 (RUN apt-get update && apt-get install -y gcc make python3-dev git, 180.0 MiB, 100%) leaves apt's package lists in the layer: end the same RUN with rm -rf /var/lib/apt/lists/*, and install with --no-install-recommends.",
    ]);
  });

  it('is quiet about an apt install that cleans up and installs no build tools', () => {
    expect(
      imageHints(
        facts([
          [
            'RUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*',
            10,
          ],
        ]),
      ),
    ).toEqual([]);
  });

  it('flags npm install without --omit=dev but not with it', () => {
    expect(imageHints(facts([['RUN npm install', 40]]))).toEqual([
      expect.stringMatching(
        /layer 1 \(RUN npm install, 40\.0 MiB, 100%\) installs npm packages without --omit=dev/,
      ),
    ]);
    expect(imageHints(facts([['RUN npm ci --omit=dev', 40]]))).toEqual([]);
  });

  it('flags pip without --no-cache-dir, and yum and apk caches', () => {
    const hints = imageHints(
      facts([
        ['RUN pip install -r requirements.txt', 30],
        ['RUN yum install -y zip', 20],
        ['RUN apk add curl', 10],
      ]),
    );
    expect(hints).toEqual([
      expect.stringContaining(
        "layer 1 (RUN pip install -r requirements.txt, 30.0 MiB, 50%) keeps pip's download cache",
      ),
      expect.stringContaining(
        'layer 2 (RUN yum install -y zip, 20.0 MiB, 33%) leaves the package manager',
      ),
      expect.stringContaining("layer 3 (RUN apk add curl, 10.0 MiB, 17%) keeps apk's index"),
    ]);
    expect(imageHints(facts([['RUN pip install --no-cache-dir -r r.txt', 30]]))).toEqual([]);
  });

  it('suggests a multi-stage build when the final image compiles and copies nothing from a stage', () => {
    const hints = imageHints(
      facts([
        ['COPY package.json /app/', 0.1],
        ['RUN npm run build', 20],
      ]),
    );
    expect(hints).toEqual([
      expect.stringMatching(
        /^Suggestion: layer 2 \(RUN npm run build, 20\.0 MiB, 100%\) builds inside the final image .*multi-stage build/,
      ),
    ]);
    const staged = facts([
      ['RUN npm run build', 20],
      ['COPY --from=build /app/dist /var/task', 1],
    ]);
    expect(imageHints(staged)).toEqual([]);
  });

  it('suggests a .dockerignore for a large copy of the build context or a whole directory', () => {
    expect(
      imageHints(
        facts([
          ['ENV A=1', 1],
          ['COPY . /var/task', 12],
        ]),
      ),
    ).toEqual([
      'Suggestion: layer 2 (COPY . /var/task, 12.0 MiB, 92%) copies the whole build context: a .dockerignore that skips .git, node_modules, tests and local build output keeps them out of the image.',
    ]);
    expect(
      imageHints(
        facts([
          ['RUN true', 4],
          ['COPY dir:0123456789ab in /var/task/', 2],
        ]),
      ),
    ).toEqual([
      expect.stringContaining(
        'layer 2 (COPY dir:0123456789ab in /var/task/, 2.0 MiB, 33%) copies a whole directory',
      ),
    ]);
  });

  it('does not flag a small context copy or a single file', () => {
    expect(
      imageHints(
        facts([
          ['RUN true', 40],
          ['COPY . /var/task', 2],
        ]),
      ),
    ).toEqual([]);
    expect(imageHints(facts([['COPY file:0123456789ab in /var/task/app.js', 40]]))).toEqual([]);
  });

  it('does not take a multi-stage root filesystem copied onto / for a build-context copy', () => {
    // buildah's record of `COPY --from=build /rootfs/ /` in a FROM scratch stage (the examples').
    expect(imageHints(facts([['COPY dir:b832c7dc7598 in / ', 12]]))).toEqual([]);
    expect(imageHints(facts([['COPY dir:b832c7dc7598 in /', 12]]))).toEqual([]);
    expect(imageHints(facts([['COPY dir:b832c7dc7598 in /app', 12]]))).toHaveLength(1);
  });

  it('orders hints by layer size and keeps at most MAX_HINTS', () => {
    const many = facts(
      Array.from({ length: 12 }, (_, i) => [`RUN npm install x${i}`, i + 1] as [string, number]),
    );
    const hints = imageHints(many);
    expect(hints).toHaveLength(MAX_HINTS);
    expect(hints[0]).toContain('layer 12 ');
  });
});
