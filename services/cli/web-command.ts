/** `ferry web [--port N]`: opens the web page of an IAM-authorized API through a signing proxy. */
import type { ClientAuth } from './client.ts';
import { UsageError } from './commands.ts';
import type { CliIO } from './main.ts';
import { startSigningProxy } from './web-proxy.ts';

/** Until Ctrl-C (or SIGTERM). */
const untilInterrupted = () =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });

/** Runs the proxy until stopped; with token auth there is nothing to proxy, so it says where to go. */
export async function webCommand(
  url: URL,
  auth: ClientAuth,
  port: string | undefined,
  io: CliIO,
): Promise<number> {
  if (auth.kind !== 'sigv4') {
    io.stdout.write(
      `Open ${url.origin}/ in a browser and sign in with your token (ferry web signs requests for an API Gateway FERRY_URL).\n`,
    );
    return 0;
  }
  const portNumber = port === undefined ? 0 : Number(port);
  if (!Number.isInteger(portNumber) || portNumber < 0 || portNumber > 65535) {
    throw new UsageError(`--port must be 0-65535, got ${port}`);
  }
  const proxy = await startSigningProxy({
    target: url,
    sign: auth.sign,
    port: portNumber,
    ...(io.fetch ? { fetchImpl: io.fetch } : {}),
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE' && error.code !== 'EACCES') throw error;
    throw new UsageError(
      `cannot listen on 127.0.0.1:${portNumber} (${error.code}): pick another --port, or leave it out for a free one`,
    );
  });
  io.stdout.write(
    `Ferry web page: ${proxy.url}\n  (each request signed with your AWS credentials for ${url.origin}; Ctrl-C stops)\n`,
  );
  try {
    await (io.untilStopped ?? untilInterrupted)();
  } finally {
    await proxy.close();
  }
  return 0;
}
