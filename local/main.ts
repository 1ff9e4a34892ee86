/**
 * `npm start`: runs Ferry locally (see local/start.ts), prints where it is and what to try, and
 * stops every part on Ctrl-C. A part that dies is reported, and Ferry stops rather than limp on.
 */
import '../local/polyfills.ts';
import { resolve } from 'node:path';
import { portFromEnv } from './kept-ports.ts';
import { localLogger } from './local-logger.ts';
import { checkLocalTools } from './preflight.ts';
import { startLocalFerry } from './start.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const env = process.env;
const say = (line: string) => process.stdout.write(`${line}\n`);

try {
  await checkLocalTools({ install: env.FERRY_NO_INSTALL !== '1', log: say });
} catch (error) {
  say(`ferry: ${(error as Error).message}`);
  process.exit(1);
}

const logger = localLogger(process.stderr, { debug: env.FERRY_LOG === 'debug' });
/** A JSON-object environment variable, or an exit naming it. */
function jsonEnv(name: string): Record<string, string> | undefined {
  const text = env[name];
  if (!text) return undefined;
  try {
    const value = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
  } catch {}
  say(`ferry: ${name} must be a JSON object, e.g. {"U024BE7LH": "payments"}`);
  process.exit(1);
}
const slackUsers = jsonEnv('FERRY_SLACK_USERS');
const slackWebhooks = jsonEnv('FERRY_SLACK_WEBHOOKS');

let ports: { registryPort?: number; functionHostPort?: number };
try {
  const registryPort = portFromEnv(env, 'FERRY_REGISTRY_PORT');
  const functionHostPort = portFromEnv(env, 'FERRY_FUNCTION_HOST_PORT');
  ports = {
    ...(registryPort !== undefined ? { registryPort } : {}),
    ...(functionHostPort !== undefined ? { functionHostPort } : {}),
  };
} catch (error) {
  say(`ferry: ${(error as Error).message}`);
  process.exit(1);
}

let stopping = false;
const ferry = await startLocalFerry({
  slack: {
    ...(env.FERRY_SLACK_SIGNING_SECRET ? { signingSecret: env.FERRY_SLACK_SIGNING_SECRET } : {}),
    ...(slackUsers ? { users: slackUsers } : {}),
    ...(slackWebhooks ? { webhooks: slackWebhooks } : {}),
  },
  home: env.FERRY_HOME ?? '.ferry',
  port: Number(env.FERRY_PORT ?? 8787),
  ...ports,
  ...(env.FERRY_ADMIN_TOKEN ? { adminToken: env.FERRY_ADMIN_TOKEN } : {}),
  ...(env.FERRY_DEFAULT_FUNCTION ? { defaultFunction: env.FERRY_DEFAULT_FUNCTION } : {}),
  logger,
  ...(env.FERRY_FUNCTION_LOGS === '1'
    ? {
        onFunctionLog: ({ functionName, version, line }) =>
          say(`[${functionName}:${version}] ${line}`),
      }
    : {}),
  onChildExit: (error) => {
    if (stopping) return;
    say(`ferry: a local part died: ${error.message} — stopping`);
    void shutdown(1);
  },
}).catch((error: Error) => {
  say(`ferry: could not start: ${error.message}`);
  process.exit(1);
});

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  say('ferry: stopping…');
  await ferry.close();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

const home = resolve(env.FERRY_HOME ?? '.ferry');
say(`Ferry is running (local mode, state in ${env.FERRY_HOME ?? '.ferry'})
  API             ${ferry.apiUrl}
  web page        ${ferry.apiUrl}/   (sign in with the admin token)
  registry        ${ferry.registryHost}   (user ferry; log in once, then push:)
                    buildah login --tls-verify=false -u ferry --password-stdin ${ferry.registryHost} < ${home}/registry-password
                    buildah push --tls-verify=false IMAGE docker://${ferry.registryHost}/REPO:TAG
                    (or pass --authfile ${home}/registry-auth.json to buildah, skopeo or podman; npx ferry local registry-login prints these)
  function host   ${ferry.functionHostUrl}   (SigV4: AWS_SHARED_CREDENTIALS_FILE=${home}/aws-credentials, profile ferry-local)
                    AWS_SHARED_CREDENTIALS_FILE=${home}/aws-credentials aws --profile ferry-local --region us-east-1 lambda invoke --endpoint-url ${ferry.functionHostUrl} --function-name NAME --payload '{}' --cli-binary-format raw-in-base64-out out.json${
                      env.FERRY_SLACK_SIGNING_SECRET
                        ? `
  slack command   ${ferry.apiUrl}/v1/chatops/slack   (signed with FERRY_SLACK_SIGNING_SECRET)`
                        : ''
                    }`);
if (ferry.newAdminToken) {
  say(
    `  admin token     ${ferry.newAdminToken}   (shown once; set FERRY_ADMIN_TOKEN to choose your own)`,
  );
} else if (!env.FERRY_ADMIN_TOKEN) {
  say(`  admin token     in ${home}/cli.json   (or restart with FERRY_ADMIN_TOKEN=...)`);
}
say(`
Next: npx ferry functions   (in another terminal: the CLI reads ${home}/cli.json; FERRY_URL/FERRY_TOKEN override it)
      npx ferry history <function>      or run the whole demo: npm run demo
      npx ferry logs <function> --follow   (what it prints; FERRY_FUNCTION_LOGS=1 shows it here)
Ctrl-C stops everything.`);
