import { type ReleaseStrategy, releaseStrategySchema } from '../core/release-strategy.ts';

/** A parsed `/ferry …` slash command. */
export type SlashCommand =
  | {
      readonly kind: 'deploy';
      readonly functionName: string;
      readonly image: string;
      /** A predefined release strategy for this deployment (`Canary10Percent5Minutes`, …). */
      readonly release?: ReleaseStrategy;
    }
  | { readonly kind: 'status'; readonly id: string }
  | { readonly kind: 'approve' | 'abort'; readonly id: string }
  | { readonly kind: 'history'; readonly functionName: string }
  | { readonly kind: 'rollback'; readonly functionName: string }
  | { readonly kind: 'help' }
  | { readonly kind: 'invalid'; readonly message: string };

/** What `/ferry help` answers. */
export const SLASH_HELP = [
  '`/ferry deploy <function> <image-ref> [<release>]` — release an image (by tag or digest) to a function; `<release>` is a strategy name such as `Canary10Percent5Minutes` for this deployment',
  '`/ferry status <deployment-id>` — a deployment’s status and steps',
  '`/ferry history <function>` — recent deployments, newest first',
  '`/ferry rollback <function>` — release the previous good digest again',
  '`/ferry approve <deployment-id>` — let a release waiting for approval move all traffic',
  '`/ferry abort <deployment-id>` — stop a running deployment and roll it back',
  '`/ferry help` — this text',
].join('\n');

const MAX_TEXT = 4000;
const FUNCTION = /^[a-zA-Z0-9-_]{1,64}$/;
const DEPLOYMENT_ID = /^d-[0-9A-HJKMNP-TV-Z]{26}$/;
const IMAGE = /^[A-Za-z0-9._:/@-]{1,512}$/;
const RELEASE_NAME = /^[A-Za-z0-9.]{1,80}$/;

/**
 * Parses the `text` of a Slack slash command. Only plain tokens of the expected shapes are
 * accepted: quotes, mentions (`<@U…>`), links, shell characters and unicode look-alikes are
 * refused with a message, never interpreted. Image references are validated again by the API.
 */
export function parseSlashCommand(text: string): SlashCommand {
  if (text.length > MAX_TEXT)
    return { kind: 'invalid', message: `the command is over ${MAX_TEXT} characters` };
  const words = text
    .trim()
    .split(/[ \t]+/)
    .filter(Boolean);
  const [verb = 'help', ...args] = words;
  const usage = (form: string): SlashCommand => ({
    kind: 'invalid',
    message: `usage: \`/ferry ${form}\` — try \`/ferry help\``,
  });
  switch (verb.toLowerCase()) {
    case 'help':
      return { kind: 'help' };
    case 'deploy': {
      const [fn, image, name, ...rest] = args;
      if (!fn || !image || rest.length > 0 || !FUNCTION.test(fn) || !IMAGE.test(image))
        return usage('deploy <function> <image-ref> [<release>]');
      if (name === undefined) return { kind: 'deploy', functionName: fn, image };
      // Names only: a chat line is no place for JSON, and the name's own parser says what is wrong.
      const release = releaseStrategySchema.safeParse(RELEASE_NAME.test(name) ? name : null);
      if (!release.success) {
        return {
          kind: 'invalid',
          message: `unknown release \`${name.slice(0, 60).replace(/[`<>&]/g, '')}\`: use a name such as \`Canary10Percent5Minutes\`, \`Linear10PercentEvery1Minute\` or \`AllAtOnce\``,
        };
      }
      return { kind: 'deploy', functionName: fn, image, release: release.data };
    }
    case 'status':
    case 'approve':
    case 'abort': {
      const kind = verb.toLowerCase() as 'status' | 'approve' | 'abort';
      const [id, ...rest] = args;
      if (!id || rest.length > 0 || !DEPLOYMENT_ID.test(id))
        return usage(`${kind} <deployment-id>`);
      return { kind, id };
    }
    case 'history':
    case 'rollback': {
      const [fn, ...rest] = args;
      if (!fn || rest.length > 0 || !FUNCTION.test(fn))
        return usage(`${verb.toLowerCase()} <function>`);
      return { kind: verb.toLowerCase() as 'history' | 'rollback', functionName: fn };
    }
    default:
      return {
        kind: 'invalid',
        message: `unknown command \`${verb.slice(0, 40).replace(/[`<>&]/g, '')}\` — try \`/ferry help\``,
      };
  }
}
