/**
 * The IAM actions a Lambda bundle can call, read off the bundle itself: the AWS SDK commands,
 * waiters and paginators that Ferry's own bundled modules import (esbuild kept them: bytes in the
 * output), each mapped to its IAM action. Only Ferry's imports count: the SDK's packages carry
 * commands no caller reaches (lib-dynamodb's barrel keeps ScanCommand, DynamoDB's client keeps
 * DescribeEndpoints for endpoint discovery, which Ferry never turns on).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LambdaBundle } from '../../support/lambda-bundle.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** IAM service prefix of each SDK client package Ferry uses (the package name is not always it). */
export const IAM_PREFIX: Readonly<Record<string, string>> = {
  'client-lambda': 'lambda',
  'client-dynamodb': 'dynamodb',
  'lib-dynamodb': 'dynamodb',
  'client-ecr': 'ecr',
  'client-sfn': 'states',
  'client-eventbridge': 'events',
  'client-cloudwatch': 'cloudwatch',
  'client-cloudwatch-logs': 'logs',
  'client-secrets-manager': 'secretsmanager',
  'client-codebuild': 'codebuild',
};

// lib-dynamodb's document commands marshal and send client-dynamodb's: Get → GetItem, etc.
const DOCUMENT_COMMANDS: Readonly<Record<string, string>> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  Query: 'Query',
  Scan: 'Scan',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems',
  TransactWrite: 'TransactWriteItems',
};

/**
 * Clients of the credential chain. Lambda hands a function its role's credentials in the
 * environment, so the SDK's chain stops there and never calls these; Ferry's code imports none.
 */
export const CREDENTIAL_CLIENTS = [
  'client-sts',
  'client-sso',
  'client-sso-oidc',
  'client-cognito-identity',
];

/** One SDK operation some bundled Ferry module can send, and where the import is. */
export interface SentOperation {
  readonly action: string;
  readonly module: string;
}

const IMPORT = /import\s+(type\s+)?\{([^}]*)\}\s*from\s*'@aws-sdk\/([a-z0-9-]+)'/g;

/**
 * The commands an SDK helper module sends: a waiter's `new XCommand(`, a paginator's
 * `createPaginator(Client, XCommand, …)`.
 */
function commandsOf(pkg: string, file: string): string[] {
  const text = readFileSync(`${ROOT}node_modules/@aws-sdk/${pkg}/dist-es/${file}`, 'utf8');
  return [...text.matchAll(/new (\w+)Command\(|createPaginator\(\w+, (\w+)Command\b/g)].map(
    (m) => (m[1] ?? m[2]) as string,
  );
}

/** The operations of `pkg` that importing `name` lets a module send. */
function operationsOf(pkg: string, name: string): string[] {
  const command = /^(\w+)Command$/.exec(name);
  if (command) return [command[1] as string];
  // waitUntilX lives beside waitForX, in waiters/waitForX.js.
  const waiter = /^wait(?:For|Until)(\w+)$/.exec(name);
  if (waiter) return commandsOf(pkg, `waiters/waitFor${waiter[1]}.js`);
  const paginator = /^paginate(\w+)$/.exec(name);
  if (paginator) return commandsOf(pkg, `pagination/${paginator[1]}Paginator.js`);
  return []; // clients, exceptions, enums: they send nothing themselves
}

/** The IAM action of an operation of `pkg`. */
export function iamAction(pkg: string, operation: string): string {
  const prefix = IAM_PREFIX[pkg];
  if (!prefix) throw new Error(`no IAM prefix for @aws-sdk/${pkg}: add it to IAM_PREFIX`);
  const op = pkg === 'lib-dynamodb' ? DOCUMENT_COMMANDS[operation] : operation;
  if (!op) throw new Error(`no DynamoDB action for lib-dynamodb's ${operation}Command`);
  // The SDK's InvokeCommand is the lambda:InvokeFunction action.
  return `${prefix}:${pkg === 'client-lambda' && op === 'Invoke' ? 'InvokeFunction' : op}`;
}

/** The SDK operations the bundle's own (non-node_modules) modules import and esbuild kept. */
export function sentOperations(bundle: LambdaBundle): SentOperation[] {
  const sent: SentOperation[] = [];
  for (const [input, { bytesInOutput }] of Object.entries(bundle.inputs)) {
    if (bytesInOutput === 0 || input.includes('node_modules/') || !/\.tsx?$/.test(input)) continue;
    const source = readFileSync(`${ROOT}${input}`, 'utf8');
    for (const [, onlyTypes, names = '', pkg = ''] of source.matchAll(IMPORT)) {
      if (onlyTypes) continue;
      if (CREDENTIAL_CLIENTS.includes(pkg)) throw new Error(`${input} imports @aws-sdk/${pkg}`);
      for (const raw of names.split(',')) {
        const name = raw.trim();
        if (name === '' || name.startsWith('type ')) continue;
        for (const op of operationsOf(pkg, name.split(/\s+as\s+/)[0] as string)) {
          sent.push({ action: iamAction(pkg, op), module: input });
        }
      }
    }
  }
  return sent;
}

const COMMAND_FILE = /node_modules\/@aws-sdk\/([a-z0-9-]+)\/dist-es\/commands\/(\w+)Command\.js$/;

/**
 * Every SDK command module esbuild kept in the bundle, by package and operation, whoever
 * imports it: a superset of what Ferry's code sends (see LIBRARY_ONLY_ACTIONS).
 */
export function bundledCommands(bundle: LambdaBundle): { pkg: string; operation: string }[] {
  return Object.entries(bundle.inputs).flatMap(([input, { bytesInOutput }]) => {
    const match = COMMAND_FILE.exec(input);
    return match && bytesInOutput > 0
      ? [{ pkg: match[1] as string, operation: match[2] as string }]
      : [];
  });
}

/**
 * Actions whose commands the SDK bundles with no Ferry caller: DynamoDB's endpoint discovery
 * (DescribeEndpoints, only used when endpoint discovery is turned on, which Ferry never does),
 * and lib-dynamodb's ScanCommand, which its module graph keeps though nothing sends it.
 */
export const LIBRARY_ONLY_ACTIONS = ['dynamodb:DescribeEndpoints', 'dynamodb:Scan'];

/** The sorted, distinct IAM actions a bundle's code can call. */
export function bundleActions(bundle: LambdaBundle): string[] {
  return [...new Set(sentOperations(bundle).map((s) => s.action))].sort();
}
