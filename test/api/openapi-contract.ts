/**
 * Checks actual responses against the OpenAPI document the app serves: the status must be
 * declared for the operation, the content type too, and the body must validate (ajv, JSON Schema
 * 2020-12, which OpenAPI 3.1 schemas are) against the declared schema.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';

/** The parts of an OpenAPI 3.1 document the checks read. */
export interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
  >;
  components: { schemas: Record<string, unknown> };
}

/** What came back from the app. */
export interface ActualResponse {
  status: number;
  headers: Headers;
  text: string;
}

// The components are compiled once under their own id; every `#/components/schemas/X` in the
// document points there, as `#/$defs/X` would inside a plain JSON Schema.
const COMPONENTS = 'https://ferry.invalid/openapi/components';
const withComponentRefs = (schema: unknown): unknown =>
  JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${COMPONENTS}#/$defs/`));

/** `get /v1/deployments/{id} 200` for each operation and status the document declares. */
export function documentedResponses(doc: OpenApiDocument): string[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).flatMap(([method, op]) =>
      Object.keys(op.responses).map((status) => `${method} ${path} ${status}`),
    ),
  );
}

/** Operations the document declares, `get /v1/deployments/{id}`. */
export function documentedOperations(doc: OpenApiDocument): string[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => `${method} ${path}`),
  );
}

/** A checker for one document: the problems with a response of `operation`, none when it conforms. */
export function responseChecker(doc: OpenApiDocument) {
  // Strict: a keyword ajv does not know fails compiling instead of being skipped, so a schema
  // cannot pass by being unreadable. `example` is OpenAPI's annotation, not an assertion.
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  ajv.addKeyword('example');
  ajv.addSchema({ $id: COMPONENTS, $defs: withComponentRefs(doc.components.schemas) });

  return (operation: string, actual: ActualResponse): string[] => {
    const [method = '', path = ''] = operation.split(' ');
    const op = doc.paths[path]?.[method];
    if (!op) return [`${operation} is not in the document`];
    const declared = op.responses[String(actual.status)];
    if (!declared) return [`${operation} answered ${actual.status}, which it does not declare`];
    const mediaType = (actual.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    if (!declared.content)
      return actual.text === '' ? [] : [`${operation} ${actual.status} declares no body`];
    const content = declared.content[mediaType];
    if (!content)
      return [
        `${operation} ${actual.status} answered ${mediaType || 'no content type'}, declared: ${Object.keys(declared.content).join(', ')}`,
      ];
    let body: unknown;
    try {
      body = JSON.parse(actual.text);
    } catch {
      return [`${operation} ${actual.status} body is not JSON`];
    }
    const validate = ajv.compile(withComponentRefs(content.schema) as object);
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (e) => `${operation} ${actual.status}: ${e.instancePath || '(root)'} ${e.message}`,
    );
  };
}
