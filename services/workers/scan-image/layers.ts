/**
 * Which Dockerfile line made which layer, from the image config's history (no layer download).
 * Pure functions over the manifest's layers and the config blob.
 */
import type { ImageConfig } from '../../core/ports.ts';

/** The longest history line a report keeps. */
const MAX_CREATED_BY = 240;

/** A layer with its position and the history line that made it. */
export interface AttributedLayer {
  /** 1-based position (1 is the bottom layer). */
  readonly index: number;
  readonly digest: string;
  readonly sizeBytes: number;
  /** The Dockerfile line, cleaned of builder noise; absent when the history cannot be aligned. */
  readonly createdBy?: string;
  /** True when the layer came with the base image; absent when the boundary is unknown. */
  readonly fromBase?: boolean;
}

type History = NonNullable<ImageConfig['history']>;

/** The OCI annotation builders (buildah, BuildKit) put the `FROM` image's name in. */
const BASE_NAME_ANNOTATION = 'org.opencontainers.image.base.name';

/** buildah's history comment on the first line of a build: `FROM <base image>`. */
const FROM_COMMENT = /^FROM (\S+)$/;
/** buildah's comments on later lines name the parent image id (12 hex), not a base. */
const IMAGE_ID = /^[0-9a-f]{12,64}$/;

/**
 * A history line as a person wrote it. Builders write `RUN x` as `/bin/sh -c x` (buildah, Docker),
 * `|1 ARG=v /bin/sh -c x` (with build args) or `RUN /bin/sh -c x # buildkit`; other instructions
 * as `/bin/sh -c #(nop) COPY file:<sha256> in /dest ` (buildah, Docker) or `COPY . /dest # buildkit`.
 * Content hashes are shortened to 12 hex digits.
 */
export function cleanCreatedBy(line: string | undefined): string | undefined {
  if (!line) return undefined;
  let clean = line.replace(/\s*# buildkit$/, '').trim();
  const nop = /^\/bin\/sh -c #\(nop\)\s*(.*)$/s.exec(clean);
  if (nop) {
    clean = nop[1] ?? '';
  } else {
    const shell = /^(?:RUN\s+)?(?:\|\d+\s.*?\s)?\/bin\/sh -c (.*)$/s.exec(clean);
    if (shell) clean = `RUN ${shell[1] ?? ''}`;
  }
  clean = clean.replace(/\b(file|dir):([0-9a-f]{12})[0-9a-f]{52}\b/g, '$1:$2').trim();
  if (!clean) return undefined;
  return clean.length > MAX_CREATED_BY ? `${clean.slice(0, MAX_CREATED_BY - 1)}…` : clean;
}

/**
 * The image's layers in order, each with the line that made it. History entries marked
 * `empty_layer` made none; only a history with one remaining entry per layer can be aligned.
 * The base image's layers are the ones before buildah's `FROM <base>` comment, when present.
 */
export function attributeLayers(
  layers: ReadonlyArray<{ digest: string; size: number }>,
  history: History,
): AttributedLayer[] {
  const boundary = history.findIndex((h) => fromCommentBase(h.comment) !== null);
  const made = history
    .map((h, i) => ({ h, fromBase: boundary >= 0 ? i < boundary : undefined }))
    .filter(({ h }) => !h.empty_layer);
  const aligned = made.length === layers.length;
  return layers.map((layer, i) => {
    const entry = aligned ? made[i] : undefined;
    const createdBy = cleanCreatedBy(entry?.h.created_by);
    return {
      index: i + 1,
      digest: layer.digest,
      sizeBytes: layer.size,
      ...(createdBy ? { createdBy } : {}),
      ...(entry?.fromBase !== undefined ? { fromBase: entry.fromBase } : {}),
    };
  });
}

/** The base image's name: the manifest annotation, else buildah's `FROM` history comment. */
export function baseImageOf(
  annotations: Readonly<Record<string, string>> | undefined,
  history: History,
): string | null {
  const annotated = annotations?.[BASE_NAME_ANNOTATION];
  if (annotated) return annotated;
  for (const h of history) {
    const name = fromCommentBase(h.comment);
    if (name) return name;
  }
  return null;
}

function fromCommentBase(comment: string | undefined): string | null {
  const name = comment ? FROM_COMMENT.exec(comment.trim())?.[1] : undefined;
  return name && !IMAGE_ID.test(name) ? name : null;
}

/** The `count` largest layers, biggest first. */
export function largestLayers(
  layers: readonly AttributedLayer[],
  count: number,
): AttributedLayer[] {
  return [...layers].sort((a, b) => b.sizeBytes - a.sizeBytes).slice(0, count);
}
