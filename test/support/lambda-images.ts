/**
 * Real Lambda-compatible test images for the local function host: FROM scratch + the host's
 * busybox-static + a shell `bootstrap` that speaks the Runtime API with busybox wget. Built
 * with buildah (own storage in a temp dir, so tests never touch the machine's image store)
 * and pushed to a docker-registry on 127.0.0.1 (test/support/registry.ts).
 *
 * Behaviour by variant (ENV MODE): `good` answers {ok, fn, version, handler, cwd, gone,
 * event}; `twin` is `good` under another digest (the same start-up cost); `throws` posts
 * /error; `crash` exits 1 on its first event; `crash-init` exits before polling; `init-error`
 * posts /init/error; `slow` and `slower` sleep INIT_SLEEP (1 s, 0.3 s) before polling;
 * `probe` answers what the process sees: uid/gid, STAGE and Lambda's variables, /tmp's size
 * and whether it can write there; with `event.hogMb` it first holds that many MB in memory.
 * `stream` streams `chunk-1;chunk-2;chunk-3;` and `stream-fails` then fails in the trailers;
 * `context` answers {requestId, clientContext, cognitoIdentity} as /next gave them.
 * Any variant sleeps `event.sleep` seconds before answering. Every image has a file created
 * in one layer and deleted in a later one (/data/gone), so `gone` tests whiteouts.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestRegistry, type TestRegistry } from './registry.ts';

const run = promisify(execFile);

/** The image variants {@link buildLambdaImages} can build. */
export type LambdaVariant =
  | 'good'
  | 'twin'
  | 'slower'
  | 'throws'
  | 'crash'
  | 'crash-init'
  | 'init-error'
  | 'slow'
  | 'flaky'
  | 'probe'
  | 'stream'
  | 'stream-fails'
  | 'context';

/** The runtime mode and the sleep before the first poll of each variant. */
const BEHAVIOUR: Record<LambdaVariant, { mode: string; initSleep: string }> = {
  good: { mode: 'good', initSleep: '' },
  twin: { mode: 'good', initSleep: '' },
  slower: { mode: 'good', initSleep: '0.3' },
  throws: { mode: 'throws', initSleep: '' },
  crash: { mode: 'crash', initSleep: '' },
  'crash-init': { mode: 'crash-init', initSleep: '' },
  'init-error': { mode: 'init-error', initSleep: '' },
  slow: { mode: 'good', initSleep: '1' },
  // Answers its first call and fails every second one after: passes a smoke, fails under load.
  flaky: { mode: 'flaky', initSleep: '' },
  probe: { mode: 'probe', initSleep: '' },
  // Streams its response in three chunks (aws-lambda-ric's protocol for streamifyResponse);
  // `stream-fails` then fails midway: the error comes in the chunked body's trailers.
  stream: { mode: 'stream', initSleep: '' },
  'stream-fails': { mode: 'stream-fails', initSleep: '' },
  // Answers with what /next told it: the request id, the client context and Cognito identity.
  context: { mode: 'context', initSleep: '' },
};

/**
 * A streamed response (chunked, error trailers declared), written with busybox nc: wget can
 * send neither chunks nor trailers. `Connection: close` makes the server end the exchange.
 */
const STREAM = `stream_response() {
  { printf 'POST /2018-06-01/runtime/invocation/%s/response HTTP/1.1\\r\\nHost: %s\\r\\nConnection: close\\r\\n' "$1" "$AWS_LAMBDA_RUNTIME_API"
    printf 'Lambda-Runtime-Function-Response-Mode: streaming\\r\\nTransfer-Encoding: chunked\\r\\n'
    printf 'Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\\r\\n\\r\\n'
    for part in "chunk-1;" "chunk-2;" "chunk-3;"; do
      printf '%x\\r\\n%s\\r\\n' \${#part} "$part"; $bb sleep 0.2
    done
    if [ "$MODE" = stream-fails ]; then
      body=$(printf '{"errorType":"Error","errorMessage":"stream broke midway"}' | $bb base64 -w 0)
      printf '0\\r\\nLambda-Runtime-Function-Error-Type: Error\\r\\nLambda-Runtime-Function-Error-Body: %s\\r\\n\\r\\n' "$body"
    else printf '0\\r\\n\\r\\n'; fi
  } | $bb nc "\${AWS_LAMBDA_RUNTIME_API%:*}" "\${AWS_LAMBDA_RUNTIME_API#*:}" >/dev/null
}
`;

const BOOTSTRAP = `bb=/bin/busybox
${STREAM}api="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime"
echo "init mode=$MODE handler=$_HANDLER"
if [ "$MODE" = crash-init ]; then echo "dying during init" >&2; exit 2; fi
if [ "$MODE" = init-error ]; then
  $bb wget -q -O /dev/null --header 'Lambda-Runtime-Function-Error-Type: Runtime.ImportModuleError' \\
    --post-data '{"errorType":"Runtime.ImportModuleError","errorMessage":"cannot import handler"}' "$api/init/error"
  $bb sleep 30
fi
if [ -n "$INIT_SLEEP" ]; then $bb sleep "$INIT_SLEEP"; fi
n=0
while :; do
  $bb wget -q -S -O /tmp/event "$api/invocation/next" 2>/tmp/headers || exit 3
  id=$($bb sed -n 's/^ *Lambda-Runtime-Aws-Request-Id: *//p' /tmp/headers | $bb tr -d '\\r')
  event=$($bb cat /tmp/event)
  echo "handling $id"
  pause=$(echo "$event" | $bb sed -n 's/.*"sleep": *\\([0-9.]*\\).*/\\1/p')
  if [ -n "$pause" ]; then $bb sleep "$pause"; fi
  case "$MODE" in
    throws) $bb wget -q -O /dev/null --header 'Lambda-Runtime-Function-Error-Type: Error' \\
      --post-data '{"errorType":"Error","errorMessage":"boom from handler"}' "$api/invocation/$id/error" ;;
    crash) echo "crashing on $id" >&2; exit 1 ;;
    probe) hog=$(echo "$event" | $bb sed -n 's/.*"hogMb": *\\([0-9]*\\).*/\\1/p')
      if [ -n "$hog" ]; then held=$($bb dd if=/dev/zero bs=1048576 count="$hog" 2>/dev/null | $bb tr '\\000' x); fi
      tmpok=false; if echo x > /tmp/probe 2>/dev/null; then tmpok=true; fi
      tmpkb=$($bb df -k /tmp | $bb tail -n 1 | $bb awk '{print $2}')
      $bb wget -q -O /dev/null --post-data \\
        "{\\"uid\\":$($bb id -u),\\"gid\\":$($bb id -g),\\"stage\\":\\"$STAGE\\",\\"region\\":\\"$AWS_REGION\\",\\"memory\\":\\"$AWS_LAMBDA_FUNCTION_MEMORY_SIZE\\",\\"initType\\":\\"$AWS_LAMBDA_INITIALIZATION_TYPE\\",\\"tmpKb\\":$tmpkb,\\"tmpWritable\\":$tmpok,\\"held\\":\${#held}}" \\
        "$api/invocation/$id/response" ;;
    stream|stream-fails) stream_response "$id" ;;
    context) cc=$($bb sed -n 's/^ *Lambda-Runtime-Client-Context: *//p' /tmp/headers | $bb tr -d '\\r')
      ci=$($bb sed -n 's/^ *Lambda-Runtime-Cognito-Identity: *//p' /tmp/headers | $bb tr -d '\\r')
      $bb wget -q -O /dev/null --post-data \\
        "{\\"requestId\\":\\"$id\\",\\"clientContext\\":\${cc:-null},\\"cognitoIdentity\\":\${ci:-null}}" \\
        "$api/invocation/$id/response" ;;
    flaky) n=$((n + 1)); if [ $((n % 2)) -eq 0 ]; then
        $bb wget -q -O /dev/null --header 'Lambda-Runtime-Function-Error-Type: Error' \\
          --post-data '{"errorType":"Error","errorMessage":"every second call fails"}' "$api/invocation/$id/error"
      else $bb wget -q -O /dev/null --post-data '{"ok":true}' "$api/invocation/$id/response"; fi ;;
    *) gone=false; if [ -e /data/gone ]; then gone=true; fi
      $bb wget -q -O /dev/null --post-data \\
        "{\\"ok\\":true,\\"fn\\":\\"$AWS_LAMBDA_FUNCTION_NAME\\",\\"version\\":\\"$AWS_LAMBDA_FUNCTION_VERSION\\",\\"handler\\":\\"$_HANDLER\\",\\"cwd\\":\\"$(pwd)\\",\\"gone\\":$gone,\\"event\\":$event}" \\
        "$api/invocation/$id/response" ;;
  esac
done
`;

// The variant's ENV is written into each Dockerfile: buildah's layer cache keys on the
// instruction text, so a --build-arg alone came back with the first variant's cached image.
const dockerfile = (variant: string, mode: string, initSleep: string) => `FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "mkdir", "-p", "/data"]
RUN ["/bin/busybox", "touch", "/data/gone", "/data/kept"]
RUN ["/bin/busybox", "rm", "/data/gone"]
COPY bootstrap /var/runtime/bootstrap
WORKDIR /var/task
ENV MODE=${mode} INIT_SLEEP=${initSleep} VARIANT=${variant}
ENTRYPOINT ["/bin/busybox", "sh", "/var/runtime/bootstrap"]
CMD ["handler.main"]
`;

/** Builds the variants and pushes them to `registryHost`; returns pinned URIs by variant. */
export async function buildLambdaImages<V extends LambdaVariant>(
  registryHost: string,
  variants: readonly V[],
  repository = 'lambda-test',
  /** A containers auth file with the registry's login (local mode's registry-auth.json). */
  authFile?: string,
): Promise<Record<V, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-images-'));
  const storage = [
    '--root',
    join(dir, 'root'),
    '--runroot',
    join(dir, 'run'),
    '--storage-driver',
    'vfs',
  ];
  try {
    const context = join(dir, 'context');
    await run('mkdir', ['-p', context]);
    await run('cp', ['/bin/busybox', join(context, 'busybox')]);
    await writeFile(join(context, 'bootstrap'), BOOTSTRAP);
    const uris = {} as Record<V, string>;
    for (const variant of variants) {
      const tag = `localhost/${repository}:${variant}`;
      const { mode, initSleep } = BEHAVIOUR[variant];
      const file = join(context, `Dockerfile.${variant}`);
      await writeFile(file, dockerfile(variant, mode, initSleep));
      await run('buildah', [
        ...storage,
        'bud',
        '--isolation',
        'chroot',
        '--layers',
        '-q',
        '-f',
        file,
        '-t',
        tag,
        context,
      ]);
      const digestFile = join(dir, `${variant}.digest`);
      await run('buildah', [
        ...storage,
        'push',
        '--tls-verify=false',
        ...(authFile ? ['--authfile', authFile] : []),
        '-q',
        '--digestfile',
        digestFile,
        tag,
        `docker://${registryHost}/${repository}:${variant}`,
      ]);
      const digest = (await readFile(digestFile, 'utf8')).trim();
      uris[variant] = `${registryHost}/${repository}@${digest}`;
    }
    return uris;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** PIDs of processes chrooted under `dir` or naming it on their command line (the launchers). */
export async function processesUsing(dir: string): Promise<number[]> {
  const found: number[] = [];
  for (const pid of (await readdir('/proc')).filter((n) => /^\d+$/.test(n))) {
    const root = await readlink(`/proc/${pid}/root`).catch(() => '');
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (root.startsWith(dir) || cmdline.includes(dir)) found.push(Number(pid));
  }
  return found;
}

/** A registry holding the variants, and temp dirs that {@link LambdaWorld.cleanup} removes. */
export interface LambdaWorld<V extends LambdaVariant> {
  readonly registry: TestRegistry;
  readonly images: Record<V, string>;
  /** A fresh temp dir (e.g. a host's state dir), removed by cleanup(). */
  tempDir(): Promise<string>;
  cleanup(): Promise<void>;
}

/** Starts a registry and pushes the variants to it (for a test file's beforeAll). */
export async function startLambdaWorld<V extends LambdaVariant>(
  variants: readonly V[],
): Promise<LambdaWorld<V>> {
  const registry = await startTestRegistry();
  const dirs: string[] = [];
  try {
    const images = await buildLambdaImages(registry.host, variants);
    return {
      registry,
      images,
      tempDir: async () => {
        const dir = await mkdtemp(join(tmpdir(), 'ferry-fh-'));
        dirs.push(dir);
        return dir;
      },
      cleanup: async () => {
        await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
        await registry.stop();
      },
    };
  } catch (error) {
    await registry.stop();
    throw error;
  }
}
