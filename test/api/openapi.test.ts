/** GET /v1/openapi.json: generated from the route schemas, complete and internally consistent. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, createApiWorld } from './api-world.ts';

interface Operation {
  summary?: string;
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, { description: string; content?: Record<string, unknown> }>;
}
interface Doc {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

let w: ApiWorld;
let doc: Doc;
beforeAll(async () => {
  w = await createApiWorld();
  doc = (await w.call('payments', 'GET', '/v1/openapi.json')).body as unknown as Doc;
});
afterAll(() => w.close());

// The deploy API's routes; the others are checked in response-schemas.test.ts.
const ROUTES = [
  'post /v1/deployments',
  'get /v1/deployments/{id}',
  'post /v1/deployments/{id}/approve',
  'post /v1/deployments/{id}/abort',
  'get /v1/deployments/{id}/build-log',
  'get /v1/functions/{name}/deployments',
  'get /v1/functions/{name}',
  'put /v1/functions/{name}',
  'post /v1/functions/{name}/rollback',
  'get /v1/functions/{name}/logs',
  'get /v1/tokens',
  'post /v1/tokens',
  'delete /v1/tokens/{id}',
  'post /v1/gc',
];

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ method, path, op })),
  );

describe('API: OpenAPI document', () => {
  it('is OpenAPI 3.1 with the security schemes callers use', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Ferry API', version: '1' });
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearer', 'sigv4']);
  });

  it('lists every route of the deploy API', () => {
    const listed = operations().map((o) => `${o.method} ${o.path}`);
    expect(listed).toEqual(expect.arrayContaining(ROUTES));
  });

  it('gives every operation a summary, path parameters and problem+json error responses', () => {
    for (const { method, path, op } of operations()) {
      const where = `${method} ${path}`;
      expect(op.summary, where).toBeTruthy();
      for (const name of path.match(/\{(\w+)\}/g) ?? []) {
        const param = name.slice(1, -1);
        expect(op.parameters, where).toContainEqual(
          expect.objectContaining({ name: param, in: 'path' }),
        );
      }
      for (const [code, response] of Object.entries(op.responses)) {
        if (Number(code) >= 400)
          expect(Object.keys(response.content ?? {}), `${where} ${code}`).toEqual([
            'application/problem+json',
          ]);
      }
    }
  });

  it('resolves every $ref to a component', () => {
    const refs = JSON.stringify(doc).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) {
      const name = ref.slice('"#/components/schemas/'.length, -1);
      expect(doc.components.schemas, ref).toHaveProperty(name);
    }
  });

  it('documents the request and response schemas the routes validate with', () => {
    const deploy = doc.paths['/v1/deployments']?.post;
    expect(deploy?.requestBody?.content).toHaveProperty('application/json');
    expect(Object.keys(deploy?.responses ?? {}).sort()).toEqual(
      ['200', '202', '400', '401', '403', '404', '409', '413', '415', '422', '503'].sort(),
    );
    const deployment = doc.components.schemas.Deployment as { properties: Record<string, unknown> };
    expect(Object.keys(deployment.properties)).toEqual(
      expect.arrayContaining([
        'status',
        'steps',
        'scan',
        'smoke',
        'previous',
        'release',
        'reason',
        'error',
        'links',
      ]),
    );
    const request = doc.components.schemas.DeploymentRequest as { additionalProperties?: unknown };
    expect(request.additionalProperties).toBe(false);
  });

  it('answers every documented operation with a route of the app (no route-missing 404)', async () => {
    for (const { method, path } of operations()) {
      const concrete = path
        .replace('{id}', 'd-01JDX3Q4ZJ8M2V7N5K1R9T6W3A')
        .replace('{name}', 'orders')
        .replace('{repository}', 'team%2Forders');
      const res = await w.call(
        'platform',
        method.toUpperCase(),
        concrete,
        method === 'get' || method === 'delete' ? undefined : {},
      );
      expect(String(res.body.detail ?? ''), `${method} ${path}`).not.toMatch(/^no route/);
    }
  });
});
