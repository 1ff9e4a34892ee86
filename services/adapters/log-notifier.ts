import type { Logger } from '../core/logger.ts';
import type { DeploymentNotification, Notifier } from '../core/ports.ts';

/** A Notifier that writes one log line per notification (the default when no channel is set). */
export class LogNotifier implements Notifier {
  constructor(private readonly logger: Logger) {}

  async notify({ deployment, status, critical }: DeploymentNotification): Promise<void> {
    const data = {
      deploymentId: deployment.id,
      functionName: deployment.functionName,
      status,
      digest: deployment.release?.digest ?? null,
      reason: deployment.reason ?? null,
    };
    if (critical) this.logger.error('deployment needs attention', data);
    else this.logger.info('deployment status', data);
  }
}
