import type { Deployment, DeploymentStatus } from '../../core/deployment.ts';

const EMOJI: Record<string, string> = {
  SUCCEEDED: ':white_check_mark:',
  REJECTED: ':no_entry:',
  FAILED: ':x:',
  ROLLED_BACK: ':rewind:',
  ROLLBACK_FAILED: ':rotating_light:',
  RUNNING: ':hourglass_flowing_sand:',
  PENDING: ':hourglass:',
};

const mib = (bytes: number | undefined) =>
  bytes === undefined ? '-' : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
// Slack mrkdwn treats <, > and & as markup: escape anything that came from a request.
const esc = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A Block Kit message for a deployment status: function, digest, size, init duration, outcome, link. */
export function deploymentMessage(
  d: Deployment,
  status: DeploymentStatus,
  critical: boolean,
  link?: string,
) {
  const init = d.smoke
    ? d.smoke.initDurationMs === null
      ? 'not reported'
      : `${Math.round(d.smoke.initDurationMs)} ms`
    : '-';
  const title = `${EMOJI[status] ?? ''} ${critical ? '*CRITICAL* ' : ''}${esc(d.functionName)}: ${status}`;
  const fields = [
    `*Deployment*\n${link ? `<${link}|${d.id}>` : d.id}`,
    `*Digest*\n\`${d.release?.digest?.slice(0, 19) ?? '-'}\``,
    `*Compressed size*\n${mib(d.scan?.compressedBytes)}`,
    `*Init duration*\n${init}`,
  ];
  return {
    text: esc(`${d.functionName}: ${status}${d.reason ? ` — ${d.reason}` : ''}`),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: title } },
      { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) },
      ...(d.reason
        ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: esc(d.reason).slice(0, 2900) }] }]
        : []),
    ],
  };
}
