/**
 * The Logger port on Powertools Logger for the Lambda runtimes: one Powertools Logger per
 * process, the invocation's keys set when it starts and reset when it ends.
 */
import type { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { type LogData, protectLogData } from '../../core/log-record.ts';
import { type Logger, loggerFrom } from '../../core/logger.ts';

/** The parts of Lambda's invocation context the log lines carry. */
export interface LambdaContext {
  readonly awsRequestId: string;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
}

/** What identifies one invocation on its lines. */
export interface InvocationScope {
  /** Keys on every line of the invocation (e.g. `deploymentId`); undefined values are left out. */
  readonly keys?: Readonly<Record<string, string | undefined>>;
  /** The caller's request id (API Gateway's), Powertools' `correlation_id`. */
  readonly correlationId?: string | undefined;
}

/**
 * Fields Powertools writes on every line. It drops a data key named like the first five (with a
 * warning line, losing the value) and lets a data key replace the others, so the port moves them.
 */
export const POWERTOOLS_FIELDS: ReadonlySet<string> = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'sampling_rate',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'xray_trace_id',
  'tenant_id',
  'correlation_id',
]);

/** A Powertools Logger, the port on it, and the invocation lifecycle of its keys. */
export class PowertoolsLogging {
  /** The Logger port cores and adapters get. */
  readonly logger: Logger;
  // The current invocation's keys, so a data value can be told apart from them. Lambda runs one
  // invocation at a time per process (the stack enables no multi-concurrency), so one slot will do.
  private keys: LogData = {};

  constructor(readonly powertools: PowertoolsLogger) {
    this.logger = loggerFrom((level, message, data) =>
      powertools[level](message, protectLogData(data, POWERTOOLS_FIELDS, this.keys)),
    );
  }

  /** Starts an invocation: Lambda context (request id, cold start), its keys, its correlation id. */
  begin(context: LambdaContext, scope: InvocationScope = {}): void {
    const keys = Object.fromEntries(
      Object.entries(scope.keys ?? {}).filter(([, value]) => value !== undefined),
    );
    this.powertools.addContext(context);
    this.powertools.appendKeys(keys);
    if (scope.correlationId) this.powertools.setCorrelationId(scope.correlationId);
    this.keys = keys;
  }

  /** Ends it: temporary keys (and the correlation id) go, so none reaches the next invocation. */
  end(): void {
    this.powertools.resetKeys();
    this.keys = {};
  }
}
