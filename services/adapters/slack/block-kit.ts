import type { Deployment, DeploymentStatus } from '../../core/deployment.ts';
import type { GateResult } from '../../core/gates.ts';
import { trafficFacts } from '../../core/traffic-words.ts';

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

const GATE_MARK: Record<GateResult['outcome'], string> = {
  failed: ':x:',
  passed: ':white_check_mark:',
  inconclusive: ':warning:',
  'not-evaluated': ':grey_question:',
  off: '',
};

/** The gates worth showing (not the ones turned off), failed first, one line each with its figures. */
function gateLines(d: Deployment): string[] {
  const gates = [...(d.scan?.gates ?? []), ...(d.smoke?.gates ?? [])].filter(
    (g) => g.outcome !== 'off',
  );
  gates.sort((a, b) => Number(b.outcome === 'failed') - Number(a.outcome === 'failed'));
  return gates.map((g) => `${GATE_MARK[g.outcome]} *${g.gate}* ${g.outcome}: ${esc(g.summary)}`);
}

/**
 * A failed build's log: a console link Slack can open (https), else the file's path (local mode,
 * read on the machine that built it). Anything else is not shown.
 */
function buildLogField(d: Deployment, status: DeploymentStatus): string[] {
  if (status !== 'FAILED' || !d.buildLogsUrl) return [];
  let url: URL;
  try {
    url = new URL(d.buildLogsUrl);
  } catch {
    return [];
  }
  if (url.protocol === 'https:') return [`*Build log*\n<${esc(url.href)}|open the build log>`];
  if (url.protocol === 'file:')
    return [`*Build log*\n\`${esc(decodeURIComponent(url.pathname))}\``];
  return [];
}

/**
 * A Block Kit message for a deployment status: function, digest, size, init duration, duration,
 * the gates' figures side by side (new vs live, ratio, delta, limit) when present, the release's
 * strategy, final weight, last judgement, provisioned concurrency and who approved or aborted,
 * outcome (a failed build's reason quotes its log's last lines), link, and a failed build's log.
 */
export function deploymentMessage(
  d: Deployment,
  status: DeploymentStatus,
  critical: boolean,
  link?: string,
  now: Date = new Date(),
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
    `*Compressed size*\n${mib(d.scan?.compressedBytes)}${d.scan ? ` in ${d.scan.layerCount} layers` : ''}`,
    `*Init duration*\n${init}`,
    ...(d.smoke?.durationMs != null ? [`*Duration*\n${d.smoke.durationMs.toFixed(1)} ms`] : []),
    ...buildLogField(d, status),
  ];
  const gates = gateLines(d);
  // Its own section: Slack refuses a section of more than 10 fields.
  const traffic = trafficFacts(d, now).map((f) => `*${f.label}*\n${esc(f.text).slice(0, 1900)}`);
  return {
    text: esc(`${d.functionName}: ${status}${d.reason ? ` — ${d.reason}` : ''}`),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: title } },
      { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) },
      ...(traffic.length > 0
        ? [{ type: 'section', fields: traffic.map((text) => ({ type: 'mrkdwn', text })) }]
        : []),
      ...(gates.length > 0
        ? [{ type: 'section', text: { type: 'mrkdwn', text: gates.join('\n').slice(0, 2900) } }]
        : []),
      ...(d.reason
        ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: esc(d.reason).slice(0, 2900) }] }]
        : []),
    ],
  };
}
