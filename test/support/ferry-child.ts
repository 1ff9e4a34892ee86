/**
 * Local Ferry as a child process, for tests that kill it: starts on FERRY_HOME with a free API
 * port and FERRY_ADMIN_TOKEN, logs to stderr, and prints one JSON line — where it listens — once
 * it takes requests. Run with `node --import tsx test/support/ferry-child.ts`.
 */
import '../../local/polyfills.ts';
import { localLogger } from '../../local/local-logger.ts';
import { startLocalFerry } from '../../local/start.ts';

const home = process.env.FERRY_HOME;
const adminToken = process.env.FERRY_ADMIN_TOKEN;
if (!home || !adminToken) {
  process.stderr.write('ferry-child: set FERRY_HOME and FERRY_ADMIN_TOKEN\n');
  process.exit(2);
}
const ferry = await startLocalFerry({
  home,
  port: 0,
  adminToken,
  logger: localLogger(process.stderr, { debug: false }),
});
process.stdout.write(
  `${JSON.stringify({ apiUrl: ferry.apiUrl, registryHost: ferry.registryHost, functionHostUrl: ferry.functionHostUrl })}\n`,
);
process.on('SIGTERM', () => void ferry.close().then(() => process.exit(0)));
