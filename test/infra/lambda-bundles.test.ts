/**
 * The Lambda bundles as `cdk deploy` uploads them (esbuild with FERRY_BUNDLING: ESM, minified,
 * the AWS SDK bundled in): every entry the stack deploys bundles and loads, and the API bundle
 * answers real requests through its bundled SDK — DynamoDB calls to dynalite, Step Functions'
 * StartExecution to a stand-in on 127.0.0.1 that records what arrived signed.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_HANDLER_ENTRY, ECR_TRIGGER_HANDLER_ENTRY } from '../../infra/ferry-stack.ts';
import { createApp } from '../../services/api/app.ts';
import { issueToken } from '../../services/auth/token-authenticator.ts';
import { WORKER_STEPS, workerFolder } from '../../services/core/steps.ts';
import { IMAGE } from '../api/api-world.ts';
import { MemoryStore } from '../fakes/memory-store.ts';
import { MemoryTokenStore } from '../fakes/memory-tokens.ts';
import { testApiDeps } from '../support/api-deps.ts';
import { captureOutput } from '../support/capture-output.ts';
import { createStoreTable, type RunningDynalite, startDynalite } from '../support/dynalite.ts';
import { httpApiEvent } from '../support/http-api-event.ts';
import { bundleLambda, bytesFrom, isAwsSdk } from '../support/lambda-bundle.ts';
import { lambdaContext } from '../support/lambda-context.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// Inside node_modules: vitest imports these as plain ES modules, untransformed, as Lambda would.
const OUT = fileURLToPath(new URL('../../node_modules/.ferry-test-bundles/', import.meta.url));
const TABLE = 'ferry-bundle-test';
const STATE_MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:ferry';
const ADMIN = 'arn:aws:iam::123456789012:user/alice';
const PAYMENTS = 'arn:aws:sts::123456789012:assumed-role/payments-ci/gha-1';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;
type Result = { statusCode: number; headers: Record<string, string>; body: string };

/** Every entry the stack deploys, by the stack's own constants. */
const ENTRIES = [
  API_HANDLER_ENTRY,
  ECR_TRIGGER_HANDLER_ENTRY,
  ...WORKER_STEPS.map((step) => `${ROOT}services/workers/${workerFolder(step)}/handler.ts`),
].map((path) => path.slice(ROOT.length));

/** Step Functions' StartExecution, answered as AWS does (awsJson1_0), every request recorded. */
interface SfnStandIn {
  readonly endpoint: string;
  readonly requests: { target: string; authorization: string; body: Record<string, unknown> }[];
  readonly server: Server;
}

async function startSfnStandIn(): Promise<SfnStandIn> {
  const requests: SfnStandIn['requests'] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    requests.push({
      target: String(req.headers['x-amz-target']),
      authorization: String(req.headers.authorization),
      body: JSON.parse(text),
    });
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
    res.end(JSON.stringify({ executionArn: `${STATE_MACHINE}:x`, startDate: 1_795_788_000 }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, requests, server };
}

let dynalite: RunningDynalite;
let sfn: SfnStandIn;
beforeAll(async () => {
  dynalite = await startDynalite();
  await createStoreTable(dynalite.client, TABLE);
  sfn = await startSfnStandIn();
  // What the stack sets, with the SDK pointed at the local parts (its service-specific endpoints).
  const env: Record<string, string> = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDBUNDLETEST',
    AWS_SECRET_ACCESS_KEY: 'bundle-test-secret',
    AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
    AWS_ENDPOINT_URL_SFN: sfn.endpoint,
    FERRY_TABLE_NAME: TABLE,
    FERRY_LOCK_TTL_SECONDS: '4200',
    FERRY_STATE_MACHINE_ARN: STATE_MACHINE,
    FERRY_ADMIN_TEAM: 'platform',
    FERRY_PRINCIPAL_TEAMS: JSON.stringify({
      'arn:aws:iam::123456789012:user/*': 'platform',
      'arn:aws:iam::123456789012:role/payments-ci': 'payments',
    }),
    FERRY_CURSOR_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ferry-cursor',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
}, 60_000);
afterAll(async () => {
  vi.unstubAllEnvs();
  sfn?.server.close();
  await dynalite?.close();
});

describe('Lambda bundles (as cdk deploy uploads them)', () => {
  it('bundles every entry the stack deploys, SDK included, and each loads with a handler', async () => {
    // The API, the ECR trigger and one per worker.
    expect(ENTRIES).toHaveLength(2 + WORKER_STEPS.length);
    for (const entry of ENTRIES) {
      const name = entry.replaceAll('/', '-').replace(/\.ts$/, '');
      const bundle = await bundleLambda(entry, OUT, name);
      // The SDK is inside the bundle, not left to the runtime's copy.
      expect(bytesFrom(bundle, isAwsSdk), entry).toBeGreaterThan(50_000);
      // zod's locales are not (only English, its default): see zod-without-locales.test.ts.
      expect(
        bytesFrom(bundle, (input) => input.includes('/zod/v4/locales/')),
        entry,
      ).toBeLessThan(10_000);
      const loaded = (await import(bundle.file)) as { handler?: unknown };
      expect(typeof loaded.handler, entry).toBe('function');
    }
  }, 180_000);

  it('answers settings, deploy and status through the bundled SDK against local parts', async () => {
    const bundle = await bundleLambda('services/api/handler.ts', OUT, 'api-e2e');
    const { handler } = (await import(bundle.file)) as { handler: Handler };
    const call = async (method: string, path: string, arn: string, body?: unknown) => {
      const event = httpApiEvent(method, path, arn, body);
      const r = (await handler(event, lambdaContext('req-bundle'))) as Result;
      return { status: r.statusCode, body: JSON.parse(r.body) };
    };

    const output = captureOutput();
    const settings = await call('PUT', '/v1/functions/orders', ADMIN, { team: 'payments' }).finally(
      () => output.restore(),
    );
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);
    // The bundled Powertools Logger writes the request's line with both request ids.
    expect(output.records()).toContainEqual(
      expect.objectContaining({
        level: 'INFO',
        message: 'settings stored',
        service: 'ferry-api',
        correlation_id: 'r-1', // the event's API Gateway request id
        function_request_id: 'req-bundle',
        functionName: 'orders',
      }),
    );

    // Validation runs on the bundle's zod (no locales but English): a clear 400, nothing started.
    const refused = await call('POST', '/v1/deployments', PAYMENTS, {
      function: 'orders',
      image: IMAGE,
      surprise: true,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toContainEqual({
      path: '(root)',
      message: 'Unrecognized key: "surprise"',
    });
    expect(sfn.requests).toHaveLength(0);

    const created = await call('POST', '/v1/deployments', PAYMENTS, {
      function: 'orders',
      image: IMAGE,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    const id = created.body.id as string;

    // The execution was started through the bundled SFN client: signed, named after the deployment.
    expect(sfn.requests).toHaveLength(1);
    const [start] = sfn.requests;
    expect(start?.target).toBe('AWSStepFunctions.StartExecution');
    expect(start?.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDBUNDLETEST\/\d{8}\/us-east-1\/states\/aws4_request/,
    );
    expect(start?.body).toMatchObject({ stateMachineArn: STATE_MACHINE, name: id });

    // And the record is in dynalite, read back through the bundled DynamoDB client.
    const status = await call('GET', `/v1/deployments/${id}`, PAYMENTS);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ id, functionName: 'orders', trigger: { kind: 'api' } });
  }, 120_000);

  it('serves the OpenAPI document the source app serves (the bundle has its own zod and module order)', async () => {
    const bundle = await bundleLambda('services/api/handler.ts', OUT, 'api-openapi');
    const { handler } = (await import(bundle.file)) as { handler: Handler };
    const event = httpApiEvent('GET', '/v1/openapi.json', ADMIN);
    const served = (await handler(event, lambdaContext('req-doc'))) as Result;
    const tokens = new MemoryTokenStore();
    const source = createApp(
      testApiDeps({ store: new MemoryStore(), workflow: { start: async () => {} }, tokens }),
    );
    const authorization = `Bearer ${await issueToken(tokens, 'platform')}`;
    const expected = await (
      await source.request('/v1/openapi.json', { headers: { authorization } })
    ).json();
    expect(served.statusCode).toBe(200);
    expect(JSON.parse(served.body)).toEqual(expected);
  }, 60_000);
});
