/**
 * The response check can fail: real responses of the app against deliberately wrong copies of its
 * OpenAPI document (a wrong field type, an enum without the value, a required member the problem
 * lacks, an undeclared status or content type, a schema ajv cannot read).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, createApiWorld, IMAGE } from './api-world.ts';
import {
  type ActualResponse,
  documentedResponses,
  type OpenApiDocument,
  responseChecker,
} from './openapi-contract.ts';
import { send } from './send.ts';

let w: ApiWorld;
let doc: OpenApiDocument;
let deployment: ActualResponse;
let unauthenticated: ActualResponse;
const READ = 'get /v1/deployments/{id}';

/** The parts of an object schema the wrong copies change. */
interface ObjectSchema {
  properties: Record<string, { enum?: unknown[] } | { type: string }>;
  required: string[];
}

/** A deep copy of the document with `change` applied to its component schemas. */
const wrong = (change: (schemas: Record<string, ObjectSchema>) => void): OpenApiDocument => {
  const copy = structuredClone(doc);
  change(copy.components.schemas as Record<string, ObjectSchema>);
  return copy;
};

beforeAll(async () => {
  w = await createApiWorld();
  const auth = { authorization: `Bearer ${w.token.payments}` };
  doc = (await send(w.app, 'GET', '/v1/openapi.json', { headers: auth }))
    .body as unknown as OpenApiDocument;
  const created = await send(w.app, 'POST', '/v1/deployments', {
    body: { function: 'orders', image: IMAGE },
    headers: auth,
  });
  await w.store.recordStep(created.body.id as string, {
    name: 'Prepare',
    startedAt: '2026-11-28T12:00:00.000Z',
    outcome: 'running',
    attempts: 1,
  });
  deployment = await send(w.app, 'GET', `/v1/deployments/${created.body.id}`, { headers: auth });
  unauthenticated = await send(w.app, 'GET', `/v1/deployments/${created.body.id}`);
});
afterAll(() => w?.close());

describe('The response check against the OpenAPI document', () => {
  it('passes the real responses against the real document', () => {
    const check = responseChecker(doc);
    expect(deployment.status).toBe(200);
    expect(check(READ, deployment)).toEqual([]);
    expect(unauthenticated.status).toBe(401);
    expect(check(READ, unauthenticated)).toEqual([]);
  });

  it('fails a deployment whose status the schema does not allow', () => {
    const check = responseChecker(
      wrong((s) => {
        if (s.Deployment) s.Deployment.properties.status = { enum: ['SUCCEEDED'] };
      }),
    );
    expect(check(READ, deployment)).toEqual([
      `${READ} 200: /status must be equal to one of the allowed values`,
    ]);
  });

  it('fails a nested field of the wrong type, through a $ref', () => {
    const check = responseChecker(
      wrong((s) => {
        if (s.Step) s.Step.properties.attempts = { type: 'string' };
      }),
    );
    expect(check(READ, deployment)).toEqual([`${READ} 200: /steps/0/attempts must be string`]);
  });

  it('fails a problem without a member the Problem schema requires', () => {
    const check = responseChecker(
      wrong((s) => {
        s.Problem?.required.push('holder');
      }),
    );
    expect(check(READ, unauthenticated)).toEqual([
      `${READ} 401: (root) must have required property 'holder'`,
    ]);
  });

  it('fails a status or a content type the operation does not declare', () => {
    const check = responseChecker(doc);
    expect(check(READ, { ...deployment, status: 418 })).toEqual([
      `${READ} answered 418, which it does not declare`,
    ]);
    const asJson = new Headers({ 'content-type': 'application/json' });
    expect(check(READ, { ...unauthenticated, headers: asJson })).toEqual([
      `${READ} 401 answered application/json, declared: application/problem+json`,
    ]);
    expect(check('get /v1/nowhere', deployment)).toEqual([
      'get /v1/nowhere is not in the document',
    ]);
  });

  it('refuses a schema it cannot read rather than passing it', () => {
    const check = responseChecker(doc);
    const unreadable = structuredClone(doc);
    const content = unreadable.paths['/v1/deployments/{id}']?.get?.responses['200']?.content;
    // `xml` is OpenAPI's, not JSON Schema's: strict ajv does not skip what it cannot read.
    if (content) content['application/json'] = { schema: { type: 'object', xml: { name: 'd' } } };
    expect(() => responseChecker(unreadable)(READ, deployment)).toThrow(/unknown keyword/);
    expect(check(READ, deployment)).toEqual([]);
  });

  it('lists a documented status no case produced', () => {
    const extra = structuredClone(doc);
    extra.paths['/v1/extra'] = { get: { responses: { '200': {} } } };
    const exercised = new Set(documentedResponses(doc));
    expect(documentedResponses(extra).filter((r) => !exercised.has(r))).toEqual([
      'get /v1/extra 200',
    ]);
  });
});
