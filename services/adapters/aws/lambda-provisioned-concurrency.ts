/**
 * Provisioned concurrency on Lambda for LambdaFunctions: Put/Get/DeleteProvisionedConcurrencyConfig
 * with the port's shape — null when a version has none, a delete of none that succeeds — and
 * $LATEST refused before any call (checkProvisionedConcurrency).
 */
import {
  DeleteProvisionedConcurrencyConfigCommand,
  GetFunctionCommand,
  GetProvisionedConcurrencyConfigCommand,
  type GetProvisionedConcurrencyConfigResponse,
  type LambdaClient,
  PutProvisionedConcurrencyConfigCommand,
} from '@aws-sdk/client-lambda';
import type { ProvisionedConcurrency } from '../../core/ports.ts';
import { checkProvisionedConcurrency } from '../../core/provisioned-concurrency.ts';
import { isAwsErrorNamed, toFerryError } from './aws-errors.ts';

const STATUSES: ReadonlySet<string> = new Set(['IN_PROGRESS', 'READY', 'FAILED']);
const isStatus = (status: string | undefined): status is ProvisionedConcurrency['status'] =>
  STATUSES.has(status ?? '');

/** The port's view of Lambda's answer; `requested` stands in when Lambda leaves the count out. */
export function provisionedConcurrencyOf(
  out: GetProvisionedConcurrencyConfigResponse,
  requested = 0,
): ProvisionedConcurrency {
  // A status this code does not know yet is not READY: callers keep waiting, then time out.
  const status = isStatus(out.Status) ? out.Status : 'IN_PROGRESS';
  return {
    requested: out.RequestedProvisionedConcurrentExecutions ?? requested,
    allocated: out.AllocatedProvisionedConcurrentExecutions ?? 0,
    available: out.AvailableProvisionedConcurrentExecutions ?? 0,
    status,
    ...(out.StatusReason ? { statusReason: out.StatusReason } : {}),
  };
}

/** PutProvisionedConcurrencyConfig on a published version; its answer is the status right after. */
export async function putProvisionedConcurrency(
  client: LambdaClient,
  name: string,
  version: string,
  count: number,
): Promise<ProvisionedConcurrency> {
  checkProvisionedConcurrency(name, version, count);
  const input = { FunctionName: name, Qualifier: version, ProvisionedConcurrentExecutions: count };
  try {
    const out = await client.send(new PutProvisionedConcurrencyConfigCommand(input));
    return provisionedConcurrencyOf(out, count);
  } catch (error) {
    throw toFerryError(error, `lambda:PutProvisionedConcurrencyConfig ${name}:${version} ${count}`);
  }
}

/** GetProvisionedConcurrencyConfig; null when the version has none. */
export async function getProvisionedConcurrency(
  client: LambdaClient,
  name: string,
  version: string,
): Promise<ProvisionedConcurrency | null> {
  checkProvisionedConcurrency(name, version);
  try {
    const out = await client.send(
      new GetProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: version }),
    );
    return provisionedConcurrencyOf(out);
  } catch (error) {
    if (isAwsErrorNamed(error, 'ProvisionedConcurrencyConfigNotFoundException')) return null;
    throw toFerryError(error, `lambda:GetProvisionedConcurrencyConfig ${name}:${version}`);
  }
}

/** DeleteProvisionedConcurrencyConfig; none configured is fine, a missing version is not. */
export async function deleteProvisionedConcurrency(
  client: LambdaClient,
  name: string,
  version: string,
): Promise<void> {
  checkProvisionedConcurrency(name, version);
  const input = { FunctionName: name, Qualifier: version };
  try {
    await client.send(new DeleteProvisionedConcurrencyConfigCommand(input));
  } catch (error) {
    if (isAwsErrorNamed(error, 'ProvisionedConcurrencyConfigNotFoundException')) return;
    if (!isAwsErrorNamed(error, 'ResourceNotFoundException')) {
      throw toFerryError(error, `lambda:DeleteProvisionedConcurrencyConfig ${name}:${version}`);
    }
    // "Not found" can mean no configuration (fine: the delete is idempotent) or no such function
    // or version: reading the version tells them apart, and maps the latter to NotFoundError.
    await client.send(new GetFunctionCommand(input)).catch((missing: unknown) => {
      throw toFerryError(missing, `lambda:GetFunction ${name}:${version}`);
    });
  }
}
