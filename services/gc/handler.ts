/**
 * The scheduled gc Lambda (EventBridge Scheduler, daily): one `ferry gc` run with the AWS
 * adapters, the same use case as `POST /v1/gc`. Its report is the result and one log line.
 */
import { withInvocation } from '../adapters/powertools/invocation.ts';
import type { LambdaContext } from '../adapters/powertools/powertools-logging.ts';
import { collectGarbage, type GcDeps } from '../app/collect-garbage.ts';
import { awsGcDeps } from './aws-deps.ts';
import { gcTelemetry } from './telemetry.ts';

// Built on the first event, once per cold start: importing the module needs no environment.
let deps: GcDeps | undefined;

/** Lambda entry: the schedule's event carries nothing gc reads. */
export const handler = (_event: unknown, context: LambdaContext) =>
  withInvocation(gcTelemetry, context, {}, async () => {
    deps ??= awsGcDeps(process.env);
    const report = await collectGarbage(deps);
    deps.logger.info('scheduled gc done', {
      images: report.images.filter((i) => i.outcome === 'deleted').length,
      versions: report.versions.filter((v) => v.outcome === 'deleted').length,
      bytesReclaimed: report.bytesReclaimed,
      skipped: report.skipped.map((s) => s.functionName).join(', '),
      ...(report.failure ? { failure: report.failure } : {}),
    });
    return report;
  });
