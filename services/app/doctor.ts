/**
 * `ferry doctor`: what a first deployment of a function needs, checked against the target, each
 * miss with its fix. Serves `GET /v1/doctor`; the CLI only renders the list. Reads only: it
 * changes nothing, and reads a function's Lambda configuration only for its owner or an admin.
 */
import { AccessDeniedError, NotFoundError } from '../core/errors.ts';
import { parseImageRef } from '../core/image-ref.ts';
import type { DeploymentStore, Functions, TargetReads } from '../core/ports.ts';
import type { Caller } from './caller.ts';
import { lambdaPullCheck, repositoryCheck } from './doctor-repository.ts';
import { requireOwner } from './ownership.ts';

/** One check's outcome; `fix` says how to make it pass, on one line, when it does not. */
export interface DoctorCheck {
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly fix?: string;
}

/** Which functions the stack lets Ferry touch (infra/config.ts `optIn`). */
export interface DoctorOptIn {
  /** The function must carry the tag `ferry:managed=true`. */
  readonly tag: boolean;
  /** The function's name must start with this; null when not used. */
  readonly namePrefix: string | null;
}

/** What the checks read: settings, the target's functions and, on AWS, tags and repository policies. */
export interface DoctorDeps {
  readonly store: Pick<DeploymentStore, 'getSettings'>;
  readonly functions: Pick<Functions, 'getFunction' | 'getAlias'>;
  /** Tags and repository policies; absent in local mode, which has neither. */
  readonly target?: TargetReads;
  /** The stack's opt-in; absent in local mode, where every function on the host may be deployed. */
  readonly optIn?: DoctorOptIn;
  /** Ferry's build repository (its images are Ferry's own). @default - none */
  readonly buildRepository?: string;
  /** The repositories whose pushes reach Ferry. @default - every repository */
  readonly watchedRepositories?: readonly string[];
  /** The slash command's signing secret, when Slack is on. */
  readonly slack?: { readonly signingSecret: () => Promise<string> };
}

/** What a runtime gives the doctor beyond the store and the API's settings: the target's reads. */
export type DoctorTarget = Pick<DoctorDeps, 'functions' | 'target' | 'optIn' | 'buildRepository'>;

/** The tag a function carries to opt in (the same key and value the workers' IAM conditions name). */
export const OPT_IN_TAG = { key: 'ferry:managed', value: 'true' } as const;

const pass = (check: string, detail: string): DoctorCheck => ({ check, ok: true, detail });
const fail = (check: string, detail: string, fix: string): DoctorCheck => ({
  check,
  ok: false,
  detail,
  fix,
});

/** The checks for the stack (Slack) and, with `name`, for that function's first deployment. */
export async function doctor(
  deps: DoctorDeps,
  caller: Caller,
  name?: string,
): Promise<DoctorCheck[]> {
  const checks = [await slackCheck(deps)];
  if (name === undefined) return checks;
  const settings = await deps.store.getSettings(name);
  if (!settings) {
    checks.push(
      fail(
        'registered',
        `function ${name} is not registered with Ferry`,
        `the admin team registers it: echo '{"team": "<owning team>"}' | ferry functions put ${name} (PUT /v1/functions/${name})`,
      ),
    );
    return checks;
  }
  requireOwner(caller, name, settings.team);
  checks.push(pass('registered', `registered for team ${settings.team}, alias ${settings.alias}`));
  return [...checks, ...(await functionChecks(deps, name, settings.alias))];
}

/** What Lambda has of the function: it exists, an Image, its architecture, opt-in, alias, image. */
async function functionChecks(
  deps: DoctorDeps,
  name: string,
  alias: string,
): Promise<DoctorCheck[]> {
  const optInFix = optInFixFor(deps.optIn, name);
  const config = await deps.functions.getFunction(name).catch((error: unknown) => {
    if (error instanceof NotFoundError) {
      return fail(
        'exists',
        `no Lambda function ${name} in the target account and region`,
        `create it from a container image: aws lambda create-function --function-name ${name} --package-type Image --code ImageUri=<repository>@sha256:<digest> --role <role ARN>`,
      );
    }
    if (error instanceof AccessDeniedError) {
      return fail('exists', `Ferry may not read function ${name}: it is not opted in`, optInFix);
    }
    throw error;
  });
  if ('check' in config) return [config];
  const checks = [pass('exists', config.functionArn)];
  if (config.packageType !== 'Image') {
    checks.push(
      fail(
        'package-type',
        `${name} is a Zip function; Ferry deploys container images only`,
        `a function's package type cannot change: create ${name} again with --package-type Image`,
      ),
    );
    return checks;
  }
  checks.push(pass('package-type', 'Image'));
  const platform = config.architecture === 'arm64' ? 'linux/arm64' : 'linux/amd64';
  checks.push(pass('architecture', `${config.architecture}: build images for ${platform}`));
  checks.push(await optInCheck(deps, name, config.functionArn, optInFix));
  const version = await deps.functions.getAlias(name, alias);
  checks.push(
    pass(
      'alias',
      version === null
        ? `alias ${alias} does not exist yet: the first deployment creates it`
        : `alias ${alias} serves version ${version}`,
    ),
  );
  if (!config.imageUri) return checks;
  const image = parseImageRef(config.imageUri);
  const repository = repositoryCheck(deps, image.repository);
  checks.push(repository);
  // Ferry may read the policies of its own repositories only.
  if (repository.ok) checks.push(await lambdaPullCheck(deps.target, image, config.functionArn));
  return checks;
}

/** The function carries the stack's opt-in: the name prefix and/or the tag. */
async function optInCheck(
  deps: DoctorDeps,
  name: string,
  arn: string,
  fix: string,
): Promise<DoctorCheck> {
  const { optIn, target } = deps;
  if (!optIn || !target) {
    return pass('opt-in', 'local mode: every function on the local host may be deployed');
  }
  if (optIn.namePrefix !== null && !name.startsWith(optIn.namePrefix)) {
    return fail('opt-in', `${name} does not start with "${optIn.namePrefix}"`, fix);
  }
  if (optIn.tag) {
    // IAM lets Ferry read only opted-in functions' tags: denied means not tagged.
    const tags = await target.tagsOf(arn).catch((error: unknown): Record<string, string> => {
      if (error instanceof AccessDeniedError) return {};
      throw error;
    });
    if (tags[OPT_IN_TAG.key] !== OPT_IN_TAG.value) {
      return fail('opt-in', `${name} is not tagged ${OPT_IN_TAG.key}=${OPT_IN_TAG.value}`, fix);
    }
  }
  const how = [
    ...(optIn.namePrefix !== null ? [`named ${optIn.namePrefix}*`] : []),
    ...(optIn.tag ? [`tagged ${OPT_IN_TAG.key}=${OPT_IN_TAG.value}`] : []),
  ];
  return pass('opt-in', how.join(' and '));
}

/** How to opt `name` in under the stack's rule. */
function optInFixFor(optIn: DoctorOptIn | undefined, name: string): string {
  const steps = [
    ...(optIn?.namePrefix && !name.startsWith(optIn.namePrefix)
      ? [
          `the stack lets Ferry touch functions named ${optIn.namePrefix}* only: deploy it as ${optIn.namePrefix}${name} (or change "ferry:optInNamePrefix" and run npx cdk deploy)`,
        ]
      : []),
    ...(optIn?.tag !== false
      ? [
          `aws lambda tag-resource --resource <function ARN> --tags ${OPT_IN_TAG.key}=${OPT_IN_TAG.value}`,
        ]
      : []),
  ];
  return steps.join('; then ');
}

/** With Slack on, the Slack secret holds the signing secret slash commands are verified with. */
async function slackCheck(deps: DoctorDeps): Promise<DoctorCheck> {
  if (!deps.slack) return pass('slack', 'Slack is off');
  const read = await deps.slack.signingSecret().then(
    (secret) => ({ secret, why: 'it is empty' }),
    (error: unknown) => ({
      secret: '',
      why: error instanceof Error ? error.message : String(error),
    }),
  );
  return read.secret
    ? pass('slack', 'the Slack secret has a signing secret')
    : fail(
        'slack',
        `Slack is on but its signing secret cannot be had (${read.why})`,
        'put the Slack app\'s Signing Secret in the stack\'s Slack secret: aws secretsmanager put-secret-value --secret-id <Slack secret ARN> --secret-string \'{"signingSecret": "<signing secret>", ...}\'',
      );
}
