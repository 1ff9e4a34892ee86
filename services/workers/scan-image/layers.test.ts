import { describe, expect, it } from 'vitest';
import { attributeLayers, baseImageOf, cleanCreatedBy, largestLayers } from './layers.ts';

const HEX = 'a'.repeat(64);

describe('Function: cleanCreatedBy', () => {
  it.each([
    ['buildah/Docker RUN', '/bin/sh -c apt-get install -y gcc', 'RUN apt-get install -y gcc'],
    [
      'buildah exec-form RUN',
      '/bin/sh -c ["/bin/busybox", "--install"]',
      'RUN ["/bin/busybox", "--install"]',
    ],
    ['a RUN with build args', '|2 A=1 B=x y /bin/sh -c make all', 'RUN make all'],
    ['a #(nop) instruction', '/bin/sh -c #(nop) ENV PATH=/bin', 'ENV PATH=/bin'],
    [
      'a buildah COPY with its content hash shortened',
      `/bin/sh -c #(nop) COPY dir:${HEX} in /var/task/ `,
      'COPY dir:aaaaaaaaaaaa in /var/task/',
    ],
    ['a BuildKit RUN', 'RUN /bin/sh -c npm ci # buildkit', 'RUN npm ci'],
    ['a BuildKit RUN with build args', 'RUN |1 V=2 /bin/sh -c npm ci # buildkit', 'RUN npm ci'],
    ['a BuildKit COPY', 'COPY . /var/task # buildkit', 'COPY . /var/task'],
  ])('cleans %s', (_name, line, expected) => {
    expect(cleanCreatedBy(line)).toBe(expected);
  });

  it('returns undefined for a missing or blank line and truncates a long one', () => {
    expect(cleanCreatedBy(undefined)).toBeUndefined();
    expect(cleanCreatedBy('/bin/sh -c #(nop) ')).toBeUndefined();
    const long = cleanCreatedBy(`/bin/sh -c echo ${'x'.repeat(500)}`);
    expect(long).toHaveLength(240);
    expect(long?.endsWith('…')).toBe(true);
  });
});

describe('Function: attributeLayers', () => {
  // What buildah 1.28 writes for FROM localhost/ferry/busybox + three lines (see hints test too).
  const history = [
    { created_by: '/bin/sh -c #(nop) COPY file:abc in /bin/busybox ', empty_layer: true },
    { created_by: '/bin/sh -c #(nop) ENV PATH=/bin' },
    {
      created_by: '/bin/sh -c #(nop) LABEL a=b',
      comment: 'FROM localhost/ferry/busybox:latest',
      empty_layer: true,
    },
    { created_by: '/bin/sh -c apt-get install -y gcc', comment: 'FROM 93fed068befe' },
    { created_by: '/bin/sh -c #(nop) ENV A=1', comment: 'FROM 7ef6de4f0956', empty_layer: true },
    {
      created_by: `/bin/sh -c #(nop) COPY dir:${HEX} in /var/task/ `,
      comment: 'FROM 870dea994214',
    },
  ];
  const layers = [
    { digest: 'sha256:1', size: 100 },
    { digest: 'sha256:2', size: 300 },
    { digest: 'sha256:3', size: 200 },
  ];

  it('aligns layers with the history lines that made them and marks the base image’s', () => {
    expect(attributeLayers(layers, history)).toEqual([
      { index: 1, digest: 'sha256:1', sizeBytes: 100, createdBy: 'ENV PATH=/bin', fromBase: true },
      {
        index: 2,
        digest: 'sha256:2',
        sizeBytes: 300,
        createdBy: 'RUN apt-get install -y gcc',
        fromBase: false,
      },
      {
        index: 3,
        digest: 'sha256:3',
        sizeBytes: 200,
        createdBy: 'COPY dir:aaaaaaaaaaaa in /var/task/',
        fromBase: false,
      },
    ]);
  });

  it('names no line when the history cannot be aligned with the layers', () => {
    const result = attributeLayers(layers, history.slice(0, 2));
    expect(result.map((l) => l.createdBy)).toEqual([undefined, undefined, undefined]);
  });

  it('leaves fromBase out when no FROM comment marks the boundary (BuildKit)', () => {
    const result = attributeLayers(layers.slice(0, 1), [{ created_by: 'COPY . /x # buildkit' }]);
    expect(result).toEqual([
      { index: 1, digest: 'sha256:1', sizeBytes: 100, createdBy: 'COPY . /x' },
    ]);
  });

  it('sorts the largest layers first', () => {
    const result = largestLayers(attributeLayers(layers, history), 2);
    expect(result.map((l) => l.index)).toEqual([2, 3]);
  });
});

describe('Function: baseImageOf', () => {
  it('prefers the manifest annotation, then buildah’s FROM comment, and ignores image ids', () => {
    expect(
      baseImageOf({ 'org.opencontainers.image.base.name': 'docker.io/library/node:20' }, []),
    ).toBe('docker.io/library/node:20');
    expect(
      baseImageOf(undefined, [{ comment: 'FROM 93fed068befe' }, { comment: 'FROM node:20-slim' }]),
    ).toBe('node:20-slim');
    expect(baseImageOf({}, [{ comment: 'FROM 93fed068befe' }])).toBeNull();
  });
});
