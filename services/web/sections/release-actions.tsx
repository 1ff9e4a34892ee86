/**
 * Approve and abort on the deployment page, for a release in flight: approve while it waits for
 * an approval, abort while it moves traffic. The buttons say what follows; the use cases decide
 * (a stale page's press comes back with their refusal). Without a session: the CLI command.
 */
import type { Deployment } from '../../core/deployment.ts';
import { FormToken } from '../layout.tsx';

/** Whether the release can still be decided on: RUNNING with traffic moving, not aborted. */
function decidable(d: Deployment): boolean {
  const phase = d.traffic?.phase;
  return d.status === 'RUNNING' && !d.abort && phase !== undefined && phase !== 'rolled-back';
}

/** The approve / abort forms; nothing for a deployment that cannot be decided on. */
export function ReleaseActions(props: { deployment: Deployment; formToken: string | null }) {
  const d = props.deployment;
  if (!decidable(d)) return null;
  const waits = d.traffic?.phase === 'awaiting-approval';
  const version = d.release?.version ? `version ${d.release.version}` : 'the new version';
  const previous = d.previous?.version ? `version ${d.previous.version}` : 'the previous version';
  if (!props.formToken) {
    // The release section names both commands while the release waits for approval.
    if (waits) return null;
    return (
      <p class="muted" id="release-actions">
        To stop it: <code>ferry abort {d.id}</code>
      </p>
    );
  }
  return (
    <div class="actions" id="release-actions">
      {waits ? (
        <form class="inline" method="post" action={`/deployments/${d.id}/approve`}>
          <FormToken token={props.formToken} />
          <button type="submit">Approve: all traffic to {version}</button>
        </form>
      ) : null}
      <form class="inline" method="post" action={`/deployments/${d.id}/abort`}>
        <FormToken token={props.formToken} />
        <button type="submit" class="danger">
          Abort: roll back to {previous}
        </button>
      </form>
    </div>
  );
}
