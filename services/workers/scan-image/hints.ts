/**
 * Why an image is big: heuristic suggestions drawn from the advice for small Lambda images (a slim
 * base, no build tools in the final stage, multi-stage builds, a .dockerignore). Each names the
 * layer and its size. Pure: the scan's attributed layers in, sentences out.
 */
import type { AttributedLayer } from './layers.ts';

/** What the hints look at. */
export interface HintFacts {
  /** Every layer, bottom first, with its Dockerfile line when known. */
  readonly layers: readonly AttributedLayer[];
  readonly compressedBytes: number;
  /** The `FROM` image's name when the manifest or history gives it. */
  readonly baseImage: string | null;
}

/** At most this many hints, the biggest layers' first. */
export const MAX_HINTS = 8;
/** A base (or bottom layer) this big is worth a slimmer one. */
const LARGE_BASE_BYTES = 50 * 1024 ** 2;
/** A directory copy this large a share of the image is worth a .dockerignore. */
const LARGE_COPY_SHARE = 0.2;
/** …and at least this big, so a tiny image's small copy is not flagged. */
const MIN_COPY_BYTES = 1024 ** 2;
/** A whole-context copy (`COPY . …`) this big is flagged whatever its share. */
const LARGE_COPY_BYTES = 10 * 1024 ** 2;

/** Official images that are full distributions unless tagged slim/alpine/…. */
const FULL_BASES =
  /^(node|python|ruby|golang|openjdk|eclipse-temurin|amazoncorretto|maven|gradle|rust|php|perl|debian|ubuntu|buildpack-deps|fedora|centos|amazonlinux|mcr\.microsoft\.com\/dotnet\/sdk)$/;
const SLIM_TAG = /slim|alpine|distroless|minimal|micro|busybox|chiselled|chiseled/;
const LAMBDA_BASE =
  /^(public\.ecr\.aws\/lambda\/|amazon\/aws-lambda-|(docker\.io\/)?amazon\/aws-lambda)/;

const INSTALL = /\b(apt-get|apt|yum|dnf|microdnf)\s+(-\S+\s+)*install\b|\bapk\s+(-\S+\s+)*add\b/;
const BUILD_TOOLS =
  /(?<![\w.+-])(gcc|g\+\+|clang|make|cmake|build-essential|build-base|python3?-dev|[a-z0-9.+]+-devel?|git|autoconf|automake|libtool|pkg-config|golang|rustc|cargo)(?![\w.+-])/g;
const NPM_INSTALL = /\bnpm\s+(install|i|ci)\b|\byarn(\s+install)?\s*($|&&|;)/;
const NPM_PROD_ONLY = /--omit[= ]dev|--production|--only[= ]prod|NODE_ENV=production/;
const PIP_INSTALL = /\bpip3?\s+install\b|\bpython3?\s+-m\s+pip\s+install\b/;
const COMPILE =
  /\b(npm\s+run\s+build|yarn\s+build|npx\s+tsc|tsc|go\s+build|cargo\s+build|mvn\s+\S*\s*(package|install)|gradle\w*\s+(build|assemble)|dotnet\s+publish)\b/;
const COPY_FROM = /^(COPY|ADD)\s+(--\S+\s+)*--from[= ]/;
const CONTEXT_COPY = /^(COPY|ADD)\s+(--\S+\s+)*\.\/?\s/;
const DIR_COPY = /^(COPY|ADD)\s+(--\S+\s+)*dir:/;
/**
 * A directory copied onto `/`: how a multi-stage build lays its assembled root filesystem into a
 * `FROM scratch` stage. buildah records `COPY --from=build /rootfs/ /` as `COPY dir:… in /`, the
 * same shape as a context copy, so the destination is what tells them apart.
 */
const ROOTFS_COPY = /^(COPY|ADD)\s+(--\S+\s+)*dir:\S+\s+in\s+\/\s*$/;

/** Suggestions, each naming a layer and its size, biggest layers first; empty when none apply. */
export function imageHints(facts: HintFacts): string[] {
  const hints: Array<{ size: number; text: string }> = [];
  const base = baseHint(facts);
  if (base) hints.push({ size: Number.POSITIVE_INFINITY, text: base });
  const multiStage = facts.layers.some((l) => COPY_FROM.test(l.createdBy ?? ''));
  for (const layer of facts.layers) {
    for (const text of layerHints(layer, facts, multiStage))
      hints.push({ size: layer.sizeBytes, text });
  }
  return hints
    .sort((a, b) => b.size - a.size)
    .slice(0, MAX_HINTS)
    .map((h) => h.text);
}

function baseHint({ layers, baseImage, compressedBytes }: HintFacts): string | null {
  const baseLayers = layers.filter((l) => l.fromBase === true);
  const baseBytes = baseLayers.reduce((sum, l) => sum + l.sizeBytes, 0);
  if (baseImage && isFullBase(baseImage)) {
    const size =
      baseLayers.length > 0
        ? ` (its layers: ${mib(baseBytes)}, ${share(baseBytes, compressedBytes)} of the image)`
        : '';
    return `Suggestion: the base image ${baseImage} is a full distribution image${size}; a -slim or -alpine variant, or an AWS Lambda base image (public.ecr.aws/lambda/…, cached by Lambda), is usually much smaller.`;
  }
  if (baseImage && (LAMBDA_BASE.test(baseImage) || SLIM_TAG.test(baseImage))) return null;
  if (baseLayers.length > 0) {
    if (baseBytes < LARGE_BASE_BYTES || baseBytes < compressedBytes / 2) return null;
    return `Suggestion: the base image${baseImage ? ` ${baseImage}` : ''} makes up ${mib(baseBytes)} (${share(baseBytes, compressedBytes)}) of the image in ${baseLayers.length} layer(s): a slim or distroless base, or an AWS Lambda base image, is usually much smaller.`;
  }
  const bottom = layers[0];
  // A base's bottom layer is its root filesystem (ADD file:… in /), never a RUN of this build.
  if (!bottom || bottom.createdBy?.startsWith('RUN ')) return null;
  if (bottom.sizeBytes < LARGE_BASE_BYTES || bottom.sizeBytes < compressedBytes / 2) return null;
  return `Suggestion: ${describe(bottom, compressedBytes)} is the bottom layer, usually the base image's: if the base is a full distribution, a slim or distroless base, or an AWS Lambda base image, is usually much smaller.`;
}

function isFullBase(name: string): boolean {
  const withoutRegistry = name.replace(/^(docker\.io\/)?(library\/)?/, '');
  const [repo = '', tag = 'latest'] = withoutRegistry.split('@')[0]?.split(':') ?? [];
  return FULL_BASES.test(repo) && !SLIM_TAG.test(tag);
}

function layerHints(layer: AttributedLayer, facts: HintFacts, multiStage: boolean): string[] {
  const line = layer.createdBy;
  if (!line) return [];
  const it = describe(layer, facts.compressedBytes);
  const hints: string[] = [];
  if (line.startsWith('RUN ')) {
    const tools = INSTALL.test(line) ? buildTools(line) : [];
    if (tools.length > 0) {
      hints.push(
        `Suggestion: ${it} installs build tools (${tools.join(', ')}) into the final image: install them only in a build stage and copy the output (multi-stage build), or remove them in the same RUN.`,
      );
    }
    if (NPM_INSTALL.test(line) && !NPM_PROD_ONLY.test(line)) {
      hints.push(
        `Suggestion: ${it} installs npm packages without --omit=dev, so devDependencies ship: use npm ci --omit=dev in the final stage.`,
      );
    }
    if (PIP_INSTALL.test(line) && !line.includes('--no-cache-dir')) {
      hints.push(
        `Suggestion: ${it} keeps pip's download cache: add --no-cache-dir to pip install.`,
      );
    }
    hints.push(...packageCacheHints(line, it));
    if (!layer.fromBase && !multiStage && COMPILE.test(line)) {
      hints.push(
        `Suggestion: ${it} builds inside the final image and no layer is copied from another stage: a multi-stage build (build in a FROM … AS build stage, then COPY --from=build only the output) leaves compilers, sources and caches behind.`,
      );
    }
  } else if (!COPY_FROM.test(line) && isLargeCopy(layer, line, facts.compressedBytes)) {
    const what = CONTEXT_COPY.test(line)
      ? 'copies the whole build context'
      : 'copies a whole directory (COPY . … when it is the build context)';
    hints.push(
      `Suggestion: ${it} ${what}: a .dockerignore that skips .git, node_modules, tests and local build output keeps them out of the image.`,
    );
  }
  return hints;
}

function buildTools(line: string): string[] {
  return [...new Set([...line.matchAll(BUILD_TOOLS)].map((m) => m[1] ?? ''))].filter(Boolean);
}

function packageCacheHints(line: string, it: string): string[] {
  if (
    /\bapt(-get)?\s+(-\S+\s+)*install\b/.test(line) &&
    !/rm -rf \/var\/lib\/apt\/lists/.test(line)
  ) {
    return [
      `Suggestion: ${it} leaves apt's package lists in the layer: end the same RUN with rm -rf /var/lib/apt/lists/*${line.includes('--no-install-recommends') ? '' : ', and install with --no-install-recommends'}.`,
    ];
  }
  if (/\b(yum|dnf|microdnf)\s+(-\S+\s+)*install\b/.test(line) && !/\bclean all\b/.test(line)) {
    return [
      `Suggestion: ${it} leaves the package manager's cache in the layer: end the same RUN with yum clean all (or dnf clean all).`,
    ];
  }
  if (/\bapk\s+(-\S+\s+)*add\b/.test(line) && !line.includes('--no-cache')) {
    return [`Suggestion: ${it} keeps apk's index: use apk add --no-cache.`];
  }
  return [];
}

function isLargeCopy(layer: AttributedLayer, line: string, total: number): boolean {
  const context = CONTEXT_COPY.test(line);
  if (!context && (!DIR_COPY.test(line) || ROOTFS_COPY.test(line))) return false;
  if (context && layer.sizeBytes >= LARGE_COPY_BYTES) return true;
  return layer.sizeBytes >= MIN_COPY_BYTES && layer.sizeBytes >= total * LARGE_COPY_SHARE;
}

/** `layer 3 (RUN apt-get install …, 180.2 MiB, 40%)` */
function describe(layer: AttributedLayer, total: number): string {
  const line = layer.createdBy ? `${truncate(layer.createdBy, 80)}, ` : '';
  return `layer ${layer.index} (${line}${mib(layer.sizeBytes)}, ${share(layer.sizeBytes, total)})`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

function share(part: number, total: number): string {
  return total > 0 ? `${Math.round((part / total) * 100)}%` : '-';
}
