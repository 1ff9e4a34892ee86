import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgeNotifier } from '../adapters/aws/eventbridge-notifier.ts';
import { deploymentNotifier } from '../adapters/deployment-notifier.ts';
import type { Logger } from '../core/logger.ts';
import type { Notifier } from '../core/ports.ts';
import type { AwsRuntime } from './aws-runtime.ts';
import { type AwsSlackConfig, awsSlackSecret } from './aws-slack-secret.ts';

/** The keys the workers' notifications read. */
export interface AwsNotifyConfig extends AwsSlackConfig {
  readonly FERRY_PUBLIC_BASE_URL?: string;
  readonly FERRY_EVENT_BUS_NAME?: string;
}

/**
 * The workers' notifier on AWS: channel webhooks from the Slack secret when it is configured,
 * EventBridge status events when a bus is named (only Finalize's environment names one).
 */
export function awsNotifier(runtime: AwsRuntime<AwsNotifyConfig>, logger: Logger): Notifier {
  const { config } = runtime;
  const slack = awsSlackSecret(runtime);
  return deploymentNotifier({
    store: runtime.store,
    claims: runtime.claims,
    logger,
    ...(config.FERRY_PUBLIC_BASE_URL ? { publicBaseUrl: config.FERRY_PUBLIC_BASE_URL } : {}),
    ...(slack
      ? {
          webhookFor: async (channel: string) => {
            const { webhooks } = await slack();
            return Object.hasOwn(webhooks, channel) ? webhooks[channel] : undefined;
          },
        }
      : {}),
    ...(config.FERRY_EVENT_BUS_NAME
      ? { events: new EventBridgeNotifier(new EventBridgeClient({}), config.FERRY_EVENT_BUS_NAME) }
      : {}),
  });
}
