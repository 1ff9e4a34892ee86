/**
 * An API Gateway HTTP API (payload v2) event as the API Lambda receives it; `userArn` set = the
 * IAM authorizer's principal, absent = an unsigned request.
 */
export function httpApiEvent(method: string, path: string, userArn?: string, body?: unknown) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: {
      host: 'abc123.execute-api.eu-west-1.amazonaws.com',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'ferry-cli' },
      requestId: 'r-1',
      routeKey: '$default',
      stage: '$default',
      time: '28/Nov/2026:14:00:00 +0000',
      timeEpoch: 1_795_788_000_000,
      ...(userArn ? { authorizer: { iam: { userArn, accountId: '123456789012' } } } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    isBase64Encoded: false,
  };
}
