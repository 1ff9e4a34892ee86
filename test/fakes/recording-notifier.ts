import type { DeploymentNotification, Notifier } from '../../services/core/ports.ts';

/** Notifier that records what it was asked to send. */
export class RecordingNotifier implements Notifier {
  readonly sent: DeploymentNotification[] = [];
  async notify(notification: DeploymentNotification): Promise<void> {
    this.sent.push(structuredClone(notification));
  }
}
