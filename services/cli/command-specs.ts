/**
 * Every `ferry` command's synopsis, flags and example: the one table the global usage, per-command
 * help and the flag check ("does this command take --x? did you mean --y?") are all read from.
 */

/** One flag a command takes. */
export interface FlagSpec {
  /** Its long name, without the dashes. */
  readonly name: string;
  /** The value it takes (`REF`), absent for a switch. */
  readonly value?: string;
  /** Whether it may be given more than once (its values collect in order). @default false */
  readonly multiple?: boolean;
  readonly text: string;
}

/** One command. */
export interface CommandSpec {
  readonly name: string;
  /** Its forms, one a line, without the leading `ferry `. */
  readonly usage: readonly string[];
  readonly summary: string;
  readonly flags: readonly FlagSpec[];
  readonly examples: readonly string[];
}

const wait: FlagSpec = {
  name: 'wait',
  text: 'follow the deployment to its end (steps, traffic, judgements as they land); exit 0 only on SUCCEEDED',
};
const logs: FlagSpec = {
  name: 'logs',
  text: "show a source build's log (with --wait: its lines as they are written)",
};
const reason: FlagSpec = {
  name: 'reason',
  value: 'TEXT',
  text: 'why, recorded with the deployment',
};
const limit: FlagSpec = { name: 'limit', value: 'N', text: 'at most N items' };

/** Flags every command takes. */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { name: 'json', text: 'machine-readable output' },
  {
    name: 'debug',
    text: "after an error's line, print the stack traces of the error and its causes",
  },
  { name: 'help', text: 'this help; also -h' },
];

/** The commands, in the order the usage lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'deploy',
    usage: [
      'deploy <function> (--image REF | --source URL|PATH [--ref R] [--dockerfile P] [--context P]',
      '                   [--build-arg NAME=VALUE]...) [--reason TEXT] [--idempotency-key K]',
      '                   [--release NAME|JSON] [--wait [--logs]]',
    ],
    summary: 'Deploy an image (or build one from a git source) to a registered function.',
    flags: [
      { name: 'image', value: 'REF', text: 'the image to release (repository:tag or @digest)' },
      {
        name: 'source',
        value: 'URL|PATH',
        text: 'build from this git (https://) or S3 (s3://) source instead; local mode also takes a directory (a path, or file://)',
      },
      { name: 'ref', value: 'R', text: 'the branch, tag or commit of --source' },
      { name: 'dockerfile', value: 'P', text: 'the Dockerfile within --source' },
      { name: 'context', value: 'P', text: 'the build context within --source' },
      {
        name: 'build-arg',
        value: 'NAME=VALUE',
        multiple: true,
        text: 'a build argument (repeatable)',
      },
      reason,
      {
        name: 'idempotency-key',
        value: 'K',
        text: 'the same key answers the same deployment again',
      },
      {
        name: 'release',
        value: 'NAME|JSON',
        text: 'the release strategy: a name or its JSON form',
      },
      wait,
      logs,
    ],
    examples: [
      'ferry deploy checkout --image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/checkout:v42 --wait',
    ],
  },
  {
    name: 'status',
    usage: ['status <id> [--wait] [--logs]'],
    summary: 'Show one deployment: its outcome and steps (and its build log with --logs).',
    flags: [wait, logs],
    examples: ['ferry status d-01JDEMO0000000000000000000 --wait'],
  },
  {
    name: 'approve',
    usage: ['approve <id> [--wait]'],
    summary: 'Approve a release waiting for approval: the rest of the traffic moves to it.',
    flags: [wait],
    examples: ['ferry approve d-01JDEMO0000000000000000000'],
  },
  {
    name: 'abort',
    usage: ['abort <id> [--wait]'],
    summary: 'Abort a running deployment: it rolls back.',
    flags: [wait],
    examples: ['ferry abort d-01JDEMO0000000000000000000 --wait'],
  },
  {
    name: 'history',
    usage: ['history <function> [--limit N] [--cursor C]'],
    summary: "A function's deployments, newest first.",
    flags: [
      limit,
      { name: 'cursor', value: 'C', text: 'the next page, as the previous one printed' },
    ],
    examples: ['ferry history checkout --limit 5'],
  },
  {
    name: 'logs',
    usage: ['logs <function|deployment> [--version N] [--since 10m|ISO] [--limit N] [--follow]'],
    summary: 'What the function printed (a deployment id: since it started, of its version).',
    flags: [
      { name: 'version', value: 'N', text: 'only this version (a number or $LATEST)' },
      { name: 'since', value: '10m|ISO', text: 'from this long ago or this time' },
      { name: 'limit', value: 'N', text: 'at most N lines (1 to 1000)' },
      { name: 'follow', text: 'keep printing new lines until Ctrl-C' },
    ],
    examples: ['ferry logs checkout --since 10m --follow'],
  },
  {
    name: 'rollback',
    usage: ['rollback <function> [--to ID] [--reason TEXT] [--wait]'],
    summary: 'Put the previous release (or the one --to names) back live.',
    flags: [
      { name: 'to', value: 'ID', text: 'the deployment whose release to go back to' },
      reason,
      wait,
    ],
    examples: ['ferry rollback checkout --reason "5xx after v42" --wait'],
  },
  {
    name: 'functions',
    usage: [
      'functions [list]',
      'functions get <name>',
      'functions put <name> [--file settings.json]',
    ],
    summary:
      "What is live where for your team; a function's settings (JSON; stdin without --file).",
    flags: [{ name: 'file', value: 'settings.json', text: 'the settings to put (default: stdin)' }],
    examples: ['ferry functions put checkout --file checkout.json'],
  },
  {
    name: 'rules',
    usage: [
      'rules get|delete <repository>',
      'rules put <repository> --pattern GLOB --function NAME [--function NAME]...',
    ],
    summary:
      "A repository's auto-deploy rule: pushed tags matching GLOB deploy to the functions (admin team).",
    flags: [
      { name: 'pattern', value: 'GLOB', text: 'the tags that deploy (e.g. v*)' },
      {
        name: 'function',
        value: 'NAME',
        multiple: true,
        text: 'a function they deploy to (repeatable)',
      },
    ],
    examples: ['ferry rules put payments-api --pattern "v*" --function checkout'],
  },
  {
    name: 'slack-users',
    usage: ['slack-users [list] | link <slack-user-id> <team> | unlink <slack-user-id>'],
    summary: 'Which team a Slack user acts for in /ferry commands (admin team).',
    flags: [],
    examples: ['ferry slack-users link U0123ABCD payments'],
  },
  {
    name: 'tokens',
    usage: ['tokens [list] | create --team T | revoke <id>'],
    summary:
      "Local mode's bearer tokens (admin team): a new token is printed once; the list shows ids, never tokens.",
    flags: [{ name: 'team', value: 'T', text: 'the team the new token acts for' }],
    examples: ['ferry tokens create --team payments', 'ferry tokens revoke 1a2b3c4d5e6f'],
  },
  {
    name: 'local',
    usage: [
      'local create-function <name> (--image REF | --source PATH [--build-arg K=V]...)',
      '                      [--timeout S] [--memory MB] [--env K=V]...',
      '                      [--architecture x86_64|arm64] [--ephemeral-storage MB]',
      'local update-function-configuration <name> [--timeout S] [--memory MB] [--env K=V]...',
      '                      [--ephemeral-storage MB]',
      'local get-function <name>',
      'local invoke <name> [--qualifier Q] [--payload JSON]',
      'local registry-login',
    ],
    summary:
      "Local mode's functions, configured like Lambda's (defaults 3 s, 128 MB, x86_64, 512 MB /tmp; --env replaces every variable), and its registry's login.",
    flags: [
      { name: 'image', value: 'REF', text: 'the image of a new function' },
      {
        name: 'source',
        value: 'PATH',
        text: "or build its image from this directory with local mode's builder",
      },
      {
        name: 'build-arg',
        value: 'K=V',
        multiple: true,
        text: 'a build argument of --source (repeatable)',
      },
      { name: 'timeout', value: 'S', text: 'timeout in seconds' },
      { name: 'memory', value: 'MB', text: 'memory in MB' },
      { name: 'env', value: 'K=V', multiple: true, text: 'an environment variable (repeatable)' },
      { name: 'architecture', value: 'x86_64|arm64', text: 'at create-function only' },
      { name: 'ephemeral-storage', value: 'MB', text: '/tmp size in MB' },
      { name: 'qualifier', value: 'Q', text: 'the version or alias to invoke (default live)' },
      { name: 'payload', value: 'JSON', text: 'the event to invoke with (default {})' },
    ],
    examples: ['ferry local create-function hello --source examples/hello --timeout 10'],
  },
  {
    name: 'web',
    usage: ['web [--port N]'],
    summary: 'The web page of an API Gateway FERRY_URL on 127.0.0.1, signed with SigV4 (AWS).',
    flags: [{ name: 'port', value: 'N', text: 'the port on 127.0.0.1 (default: a free one)' }],
    examples: ['ferry web --port 8080'],
  },
  {
    name: 'doctor',
    usage: ['doctor [<function>]'],
    summary:
      'What a first deployment needs: one ✓/✗ line per check, each ✗ with its fix; exit 0 when all pass, 1 otherwise.',
    flags: [],
    examples: ['ferry doctor prod-orders'],
  },
  {
    name: 'gc',
    usage: ['gc [--dry-run] [--archive]'],
    summary:
      'Remove the images and versions no release can need (admin team): what went, the bytes, what was kept and why.',
    flags: [
      { name: 'dry-run', text: 'list what would go; change nothing' },
      {
        name: 'archive',
        text: "move images that go to the registry's archive tier (ECR) instead of deleting them",
      },
    ],
    examples: ['ferry gc --dry-run', 'ferry gc --archive'],
  },
];

/** The command named `name`, if there is one. */
export const commandSpec = (name: string) => COMMANDS.find((c) => c.name === name);
