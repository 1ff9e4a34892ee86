import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsCommandOutput,
} from '@aws-sdk/client-eventbridge';
import { isTerminal } from '../../core/deployment.ts';
import { TransientError } from '../../core/errors.ts';
import type { DeploymentNotification, Notifier } from '../../core/ports.ts';
import { trafficDetail } from '../traffic-detail.ts';
import { toFerryError } from './aws-errors.ts';

/** The `detail-type` of Ferry's status events: rules match it. */
export const STATUS_CHANGE_DETAIL_TYPE = 'Ferry Deployment Status Change';

/**
 * Emits an EventBridge event `Ferry Deployment Status Change` (source `ferry`) on every terminal
 * status, so other systems can react (dashboards, ticketing, chained deploys).
 */
export class EventBridgeNotifier implements Notifier {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName = 'default',
  ) {}

  async notify({ deployment: d, status, critical }: DeploymentNotification): Promise<void> {
    if (!isTerminal(status)) return;
    const detail = {
      deploymentId: d.id,
      functionName: d.functionName,
      status,
      critical,
      reason: d.reason ?? null,
      trigger: d.trigger.kind,
      previous: d.previous ?? null,
      release: d.release ?? null,
      compressedBytes: d.scan?.compressedBytes ?? null,
      initDurationMs: d.smoke?.initDurationMs ?? null,
      // Size and cold-start gates with their figures side by side (new vs live, ratio, limit).
      gates: [...(d.scan?.gates ?? []), ...(d.smoke?.gates ?? [])],
      // How the release moved traffic: weight, steps, the judge's last verdict, who decided.
      traffic: trafficDetail(d),
    };
    let out: PutEventsCommandOutput;
    try {
      out = await this.client.send(
        new PutEventsCommand({
          Entries: [
            {
              Source: 'ferry',
              DetailType: STATUS_CHANGE_DETAIL_TYPE,
              Detail: JSON.stringify(detail),
              EventBusName: this.eventBusName,
              Resources: [],
            },
          ],
        }),
      );
    } catch (error) {
      throw toFerryError(error, `events:PutEvents ${d.id} ${status}`);
    }
    // A refused entry (throttled, internal failure) is worth another try later.
    if (out.FailedEntryCount) {
      throw new TransientError(
        `events:PutEvents ${d.id} ${status} failed: ${out.Entries?.[0]?.ErrorMessage ?? 'entry refused'}`,
      );
    }
  }
}
