/**
 * The slash command's answers as Block Kit messages. Everything that came from a request or a
 * record is escaped: Slack mrkdwn reads <, > and & as markup (mentions, links).
 */
import type { Deployment } from '../core/deployment.ts';
import { trafficFacts } from '../core/traffic-words.ts';

/** A slash-command answer (`response_type` ephemeral: only the requester sees it). */
export interface SlackAnswer {
  readonly response_type: 'ephemeral' | 'in_channel';
  readonly text: string;
  readonly blocks?: readonly unknown[];
}

/** Escapes Slack mrkdwn control characters. */
export const escapeMrkdwn = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string) => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: text.slice(0, 2900) }],
});
const mib = (bytes: number | undefined) =>
  bytes === undefined ? '-' : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
const initOf = (d: Deployment) =>
  !d.smoke
    ? '-'
    : d.smoke.initDurationMs === null
      ? 'not reported'
      : `${Math.round(d.smoke.initDurationMs)} ms`;
const short = (digest: string | null | undefined) => (digest ? digest.slice(0, 19) : '-');
const linked = (id: string, link: string | undefined) => (link ? `<${link}|${id}>` : `\`${id}\``);

/** A plain ephemeral answer (markup in `text` is escaped). */
export function ephemeral(text: string): SlackAnswer {
  return { response_type: 'ephemeral', text: escapeMrkdwn(text) };
}

/** A refusal or failure the requester can act on. */
export function warning(text: string): SlackAnswer {
  const safe = escapeMrkdwn(text);
  return { response_type: 'ephemeral', text: safe, blocks: [section(`:warning: ${safe}`)] };
}

/** `/ferry help`, or usage after a bad command (`lead` says what was wrong). */
export function help(usage: string, lead?: string): SlackAnswer {
  return {
    response_type: 'ephemeral',
    text: lead ? escapeMrkdwn(lead) : 'Ferry commands',
    blocks: [...(lead ? [section(`:warning: ${escapeMrkdwn(lead)}`)] : []), section(usage)],
  };
}

/** The acknowledgement of a deploy or rollback: what started, and that progress follows. */
export function started(
  kind: 'deploy' | 'rollback',
  d: Pick<Deployment, 'id' | 'functionName'>,
  image: string,
  link: string | undefined,
  repliesFollow: boolean,
): SlackAnswer {
  const verb = kind === 'deploy' ? 'Deploying' : 'Rolling back';
  const text = `${verb} *${escapeMrkdwn(d.functionName)}* to \`${escapeMrkdwn(image)}\`: deployment ${linked(d.id, link)}`;
  const follow = repliesFollow
    ? 'Progress and the result will be posted here.'
    : `Follow it with \`/ferry status ${d.id}\`.`;
  return {
    response_type: 'ephemeral',
    text: `${verb} ${escapeMrkdwn(d.functionName)}: ${d.id}`,
    blocks: [section(`:rocket: ${text}`), context(follow)],
  };
}

/** `/ferry approve|abort <id>`: what was decided and what the workflow does now. */
export function decided(
  verb: 'approve' | 'abort',
  d: Deployment,
  link: string | undefined,
): SlackAnswer {
  const fn = escapeMrkdwn(d.functionName);
  const who = escapeMrkdwn((verb === 'approve' ? d.approval?.by : d.abort?.by) ?? '-');
  const said =
    verb === 'approve'
      ? `:white_check_mark: Approved *${fn}* ${linked(d.id, link)} (by ${who}): the rest of the traffic moves to the new version.`
      : d.status === 'RUNNING'
        ? `:octagonal_sign: Aborted *${fn}* ${linked(d.id, link)} (by ${who}): it is rolling back to the previous version.`
        : `:octagonal_sign: *${fn}* ${linked(d.id, link)} was aborted by ${who} and has ended ${d.status}.`;
  return {
    response_type: 'ephemeral',
    text: `${verb === 'approve' ? 'Approved' : 'Aborted'} ${fn}: ${d.id}`,
    blocks: [section(said), context(`Follow it with \`/ferry status ${d.id}\`.`)],
  };
}

/** `/ferry status <id>`: outcome, figures, reason and the steps so far. */
export function status(d: Deployment, link: string | undefined, now = new Date()): SlackAnswer {
  const steps = d.steps
    .map(
      (s) =>
        `${s.outcome === 'failed' ? ':x:' : s.outcome === 'running' ? ':hourglass:' : ':white_check_mark:'} ${s.name}${s.attempts > 1 ? ` (${s.attempts} attempts)` : ''}`,
    )
    .join('  ');
  const fields = [
    `*Deployment*\n${linked(d.id, link)}`,
    `*Status*\n${d.status}`,
    `*Digest*\n\`${short(d.release?.digest)}\``,
    `*Compressed size*\n${mib(d.scan?.compressedBytes)}`,
    `*Init duration*\n${initOf(d)}`,
    `*Trigger*\n${escapeMrkdwn(d.trigger.kind)}`,
  ];
  // Its own section: Slack refuses a section of more than 10 fields.
  const traffic = trafficFacts(d, now).map(
    (f) => `*${f.label}*\n${escapeMrkdwn(f.text).slice(0, 1900)}`,
  );
  return {
    response_type: 'ephemeral',
    text: `${escapeMrkdwn(d.functionName)} ${d.id}: ${d.status}`,
    blocks: [
      section(`*${escapeMrkdwn(d.functionName)}*: ${d.status}`),
      { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) },
      ...(traffic.length
        ? [{ type: 'section', fields: traffic.map((text) => ({ type: 'mrkdwn', text })) }]
        : []),
      ...(d.reason ? [context(escapeMrkdwn(d.reason))] : []),
      ...(steps ? [context(steps)] : []),
    ],
  };
}

/** `/ferry history <function>`: the newest deployments, one line each. */
export function history(
  functionName: string,
  items: readonly Deployment[],
  linkFor: (id: string) => string | undefined,
): SlackAnswer {
  const name = escapeMrkdwn(functionName);
  if (items.length === 0) return ephemeral(`${functionName} has no deployments yet`);
  const lines = items.map(
    (d) =>
      `${d.createdAt.slice(0, 16).replace('T', ' ')}  *${d.status}*  ${linked(d.id, linkFor(d.id))}  \`${short(d.release?.digest)}\`  ${mib(d.scan?.compressedBytes)}  init ${initOf(d)}  (${escapeMrkdwn(d.trigger.kind)})`,
  );
  return {
    response_type: 'ephemeral',
    text: `${name}: last ${items.length} deployments`,
    blocks: [
      section(`*${name}* — last ${items.length} deployments, newest first`),
      section(lines.join('\n').slice(0, 2900)),
    ],
  };
}
