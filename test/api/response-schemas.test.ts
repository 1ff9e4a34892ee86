/**
 * Every operation of the OpenAPI document, driven through the real app (dynalite store, faked
 * workflow) to each status it declares: each actual response must have a declared status and
 * content type, and its body must validate against the declared schema (problems against
 * Problem). Fails when the document declares a status no case produces, or when the app has a
 * /v1 route the document does not list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  documentedOperations,
  documentedResponses,
  type OpenApiDocument,
  responseChecker,
} from './openapi-contract.ts';
import { type CaseContext, createCaseContext } from './response-cases/context.ts';
import { deploymentCases } from './response-cases/deployments.ts';
import { doctorCases } from './response-cases/doctor.ts';
import { RICH_ID } from './response-cases/fixtures.ts';
import { functionCases } from './response-cases/functions.ts';
import { releaseDecisionCases } from './response-cases/release-decisions.ts';
import { ruleCases } from './response-cases/rules.ts';
import { slackUserCases } from './response-cases/slack-users.ts';
import { tokenCases } from './response-cases/tokens.ts';

/** Routes outside the document, each for a reason: not the deploy API clients are generated for. */
const UNDOCUMENTED = new Set([
  'get /healthz', // liveness probe
  'get /v1/openapi.json', // the document itself
  'post /v1/hooks/registry', // the local registry's signed notifications
  'post /v1/chatops/slack', // Slack's signed slash commands (form-encoded)
]);

const cases = [
  ...deploymentCases,
  ...releaseDecisionCases,
  ...functionCases,
  ...ruleCases,
  ...slackUserCases,
  ...tokenCases,
  ...doctorCases,
];

let t: CaseContext;
let doc: OpenApiDocument;
let check: ReturnType<typeof responseChecker>;
const exercised = new Set<string>();

beforeAll(async () => {
  t = await createCaseContext();
  doc = JSON.parse((await t.call('platform', 'GET', '/v1/openapi.json')).text);
  check = responseChecker(doc);
});
afterAll(() => t?.world.close());

describe('API responses against the OpenAPI document', () => {
  for (const c of cases) {
    it(`${c.op} → ${c.status}: ${c.what}`, async () => {
      await c.before?.(t);
      try {
        const res = await c.send(t);
        expect(res.status, res.text).toBe(c.status);
        expect(check(c.op, res)).toEqual([]);
        exercised.add(`${c.op} ${res.status}`);
      } finally {
        await c.after?.(t);
      }
    });
  }

  it('had records with the fields that make the check worth something', async () => {
    const read = JSON.parse((await t.call('payments', 'GET', `/v1/deployments/${RICH_ID}`)).text);
    expect(read).toMatchObject({
      steps: [{}, {}],
      scan: { gates: [{}], layerReuseRatio: 0.8 },
      smoke: {},
    });
    const list = JSON.parse((await t.call('platform', 'GET', '/v1/functions')).text);
    expect(list.items).toEqual([
      expect.objectContaining({ name: 'ledger', live: null, latest: null }),
      expect.objectContaining({
        name: 'orders',
        live: expect.any(Object),
        latest: expect.any(Object),
      }),
    ]);
  });

  it('produced every status of every operation the document declares', () => {
    const missing = documentedResponses(doc).filter((r) => !exercised.has(r));
    expect(missing).toEqual([]);
    console.info(
      `responses validated: ${exercised.size} (operation × status) over ${documentedOperations(doc).length} operations`,
    );
  });

  it('found every /v1 route of the app in the document, but the undocumented few', () => {
    const routes = new Set(
      t.world.app.routes
        .filter((r) => r.method !== 'ALL' && (r.path.startsWith('/v1/') || r.path === '/healthz'))
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
    );
    const documented = documentedOperations(doc);
    expect([...routes].filter((r) => !documented.includes(r) && !UNDOCUMENTED.has(r))).toEqual([]);
    expect(documented.filter((op) => !routes.has(op))).toEqual([]);
  });
});
