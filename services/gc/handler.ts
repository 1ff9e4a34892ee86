/**
 * The gc Lambda: one `ferry gc` run with the AWS adapters. EventBridge Scheduler invokes it daily
 * (an empty event: the configured policy); the API invokes it for `POST /v1/gc` with the run's
 * options (`{ dryRun, policy }`). Its report is the result and one log line.
 */
import { withInvocation } from '../adapters/powertools/invocation.ts';
import type { LambdaContext } from '../adapters/powertools/powertools-logging.ts';
import { collectGarbage, type GcDeps } from '../app/collect-garbage.ts';
import { awsGcDeps } from './aws-deps.ts';
import { gcOptionsOf } from './gc-event.ts';
import { gcTelemetry } from './telemetry.ts';

// Built on the first event, once per cold start: importing the module needs no environment.
let deps: GcDeps | undefined;

/** Lambda entry. */
export const handler = (event: unknown, context: LambdaContext) =>
  withInvocation(gcTelemetry, context, {}, async () => {
    deps ??= awsGcDeps(process.env);
    const report = await collectGarbage(deps, gcOptionsOf(event));
    deps.logger.info('scheduled gc done', {
      images: report.images.filter((i) => i.outcome === 'deleted').length,
      versions: report.versions.filter((v) => v.outcome === 'deleted').length,
      bytesReclaimed: report.bytesReclaimed,
      skipped: report.skipped.map((s) => s.functionName).join(', '),
      ...(report.failure ? { failure: report.failure } : {}),
    });
    return report;
  });
