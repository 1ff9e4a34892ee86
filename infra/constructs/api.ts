/**
 * The HTTP API: API Gateway (HTTP API) with IAM (SigV4) authorization in front of the Hono API
 * Lambda. Two routes skip IAM because their callers cannot sign: `GET /healthz`, and Slack's
 * slash-command POST, which the app verifies with the Slack signing secret instead.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IRepository } from 'aws-cdk-lib/aws-ecr';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { OptIn } from '../config.ts';
import { acknowledgeRule, acknowledgeWildcardResources } from '../nag.ts';
import { FerryFunction } from './ferry-function.ts';
import { grantSecretValue } from './secrets.ts';
import {
  optedInFunctionArn,
  optedInFunctionsStatement,
  optedInLogGroupArn,
  repositoryArns,
} from './worker-access.ts';

/**
 * The web page's routes (services/web). IAM-authorized like the API: the `$default` route would
 * carry them too, but named routes keep them in the template, its access logs and its tests.
 */
export const WEB_ROUTES = ['/', '/functions/{name}', '/deployments/{id}'] as const;

/** The routes that do not use IAM authorization (everything else does). */
export const UNSIGNED_ROUTES = { health: '/healthz', slack: '/v1/chatops/slack' } as const;

/** Properties of the Api. */
export interface ApiProps {
  /** Path of the API Lambda's entry file (exports `handler`): `services/api/handler.ts`. */
  readonly handlerEntry: string;
  /** The deployment store table. */
  readonly table: ITable;
  /** Name of the table's history index. */
  readonly historyIndexName: string;
  /** The deploy state machine the API starts, describes and stops executions of. */
  readonly stateMachine: StateMachine;
  /** The team that may manage every function. */
  readonly adminTeam: string;
  /** The function lock's lifetime, the same for every Lambda that takes it (see lock-lifetime.ts). */
  readonly lockTtlSeconds: number;
  /** Principal ARN patterns → teams. */
  readonly principalTeams: Readonly<Record<string, string>>;
  /** The repositories whose pushes reach Ferry (the ECR push rule's); rules for others are refused. */
  readonly watchedRepositories: readonly string[];
  /** The key pagination cursors are signed with. */
  readonly cursorSecret: ISecret;
  /**
   * The Slack secret; when given, the Slack route is created and the API may read the secret.
   * @default - no Slack route
   */
  readonly slackSecret?: ISecret;
  /** Slack user ids → teams (with `slackSecret`). @default {} */
  readonly slackUsers?: Readonly<Record<string, string>>;
  /** Which functions Ferry may touch: the API reads only their log groups. */
  readonly optIn: OptIn;
  /**
   * Ferry's build repository: `ferry doctor` counts images from it as Ferry's own and reads its
   * policy like the configured repositories'.
   * @default - images from it are checked as from any other repository
   */
  readonly buildRepository?: IRepository;
  /**
   * The gc Lambda `POST /v1/gc` invokes (it alone holds gc's delete rights).
   * @default - `POST /v1/gc` answers 404
   */
  readonly gcFunction?: IFunction;
}

/** The Ferry API: HTTP API + Lambda, least-privilege. */
export class Api extends Construct {
  /** The HTTP API. */
  readonly httpApi: HttpApi;
  /** The API Lambda. */
  readonly handler: FerryFunction;
  /** The API's base URL. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.handler = new FerryFunction(this, 'Handler', {
      entry: props.handlerEntry,
      description: 'Ferry API',
      timeout: Duration.seconds(29),
      environment: {
        FERRY_TABLE_NAME: props.table.tableName,
        FERRY_STATE_MACHINE_ARN: props.stateMachine.stateMachineArn,
        FERRY_ADMIN_TEAM: props.adminTeam,
        FERRY_LOCK_TTL_SECONDS: String(props.lockTtlSeconds),
        FERRY_PRINCIPAL_TEAMS: JSON.stringify(props.principalTeams),
        FERRY_WATCHED_REPOSITORIES: JSON.stringify(props.watchedRepositories),
        FERRY_OPT_IN: JSON.stringify(props.optIn),
        ...(props.buildRepository
          ? { FERRY_BUILD_REPOSITORY_NAME: props.buildRepository.repositoryName }
          : {}),
        ...(props.gcFunction ? { FERRY_GC_FUNCTION_NAME: props.gcFunction.functionName } : {}),
        // Read at run time (cached): the value is in no template or configuration, and a new
        // value takes effect within minutes, without a deploy.
        FERRY_CURSOR_SECRET_ARN: props.cursorSecret.secretArn,
        ...(props.slackSecret
          ? {
              FERRY_SLACK_SECRET_ARN: props.slackSecret.secretArn,
              FERRY_SLACK_USERS: JSON.stringify(props.slackUsers ?? {}),
            }
          : {}),
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
    this.grant(props);
    // The unqualified gc Lambda only: `POST /v1/gc` runs there.
    if (props.gcFunction) {
      this.handler.role.addToPolicy(
        new PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          resources: [props.gcFunction.functionArn],
        }),
      );
    }

    const integration = new HttpLambdaIntegration('Lambda', this.handler.function);
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Ferry API (SigV4 / IAM authorization)',
      defaultIntegration: integration,
      defaultAuthorizer: new HttpIamAuthorizer(),
      createDefaultStage: false,
    });
    const unsigned = [
      UNSIGNED_ROUTES.health,
      ...(props.slackSecret ? [UNSIGNED_ROUTES.slack] : []),
    ];
    for (const path of unsigned) {
      const routes = this.httpApi.addRoutes({
        path,
        methods: [path === UNSIGNED_ROUTES.health ? HttpMethod.GET : HttpMethod.POST],
        integration,
        authorizer: new HttpNoneAuthorizer(),
      });
      for (const route of routes) {
        acknowledgeRule(
          route,
          'AwsSolutions-APIG4',
          path === UNSIGNED_ROUTES.health
            ? 'GET /healthz is the unauthenticated liveness probe (every route but /healthz is authenticated); it reveals nothing.'
            : 'Slack cannot sign requests with SigV4: the app verifies the Slack signing secret (HMAC, 5-minute window) on this route instead.',
        );
      }
    }
    const iam = new HttpIamAuthorizer();
    for (const path of WEB_ROUTES) {
      this.httpApi.addRoutes({ path, methods: [HttpMethod.GET], integration, authorizer: iam });
    }
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stage = new HttpStage(this, 'Stage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.jsonWithStandardFields(),
      },
    });
    this.url = stage.url;
    // Absolute links in responses and Slack answers (the web page of a deployment).
    this.handler.function.addEnvironment('FERRY_PUBLIC_BASE_URL', this.url);
  }

  private grant(props: ApiProps): void {
    const role = this.handler.role;
    // Deployments, settings, locks and idempotency keys (items), rules (Query on one partition).
    role.addToPolicy(
      new PolicyStatement({
        actions: [
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:Query',
        ],
        resources: [props.table.tableArn],
      }),
    );
    // A function's history.
    role.addToPolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${props.table.tableArn}/index/${props.historyIndexName}`],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        actions: ['states:StartExecution'],
        resources: [props.stateMachine.stateMachineArn],
      }),
    );
    // Approve and abort end the workflow's waits by their task tokens. IAM evaluates these calls
    // on the state machine the waiting execution belongs to, so they stay scoped to this one.
    role.addToPolicy(
      new PolicyStatement({
        actions: ['states:SendTaskSuccess'],
        resources: [props.stateMachine.stateMachineArn],
      }),
    );
    grantSecretValue(props.cursorSecret, role);
    // `GET /v1/functions/{name}/logs` reads the target functions' Lambda log groups, no others.
    // With tag opt-in alone that is every function's group: tags do not reach log groups, and the
    // API reads only functions registered with Ferry, for their owners.
    const logGroups = optedInLogGroupArn(this, props.optIn);
    role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:DescribeLogStreams', 'logs:FilterLogEvents'],
        resources: [logGroups],
      }),
    );
    acknowledgeWildcardResources(
      this,
      [logGroups],
      "Read-only, on the Lambda log groups of opted-in functions (by the opt-in name prefix when one is set): a function's log group is named after it, created by Lambda, and unknown at deploy time.",
    );
    // `GET /v1/doctor` reads a target function's configuration, alias and tags, under the same
    // opt-in conditions as the workers: a function not opted in is denied, and the doctor says
    // how to opt it in. It reads the policies of Ferry's own repositories only (by ARN), to tell
    // whether Lambda may pull from them.
    role.addToPolicy(
      optedInFunctionsStatement(
        this,
        ['lambda:GetFunction', 'lambda:GetAlias', 'lambda:ListTags'],
        props.optIn,
      ),
    );
    acknowledgeWildcardResources(
      this,
      [optedInFunctionArn(this, props.optIn)],
      'Read-only, for `ferry doctor`: target functions are chosen by teams at run time, so access is limited to opted-in functions by the name-prefix ARN pattern and/or the aws:ResourceTag/ferry:managed=true condition, as for the workers.',
    );
    const repositories = [
      ...repositoryArns(this, props.watchedRepositories),
      ...(props.buildRepository ? [props.buildRepository.repositoryArn] : []),
    ];
    if (repositories.length > 0) {
      role.addToPolicy(
        new PolicyStatement({ actions: ['ecr:GetRepositoryPolicy'], resources: repositories }),
      );
    }
    if (props.slackSecret) grantSecretValue(props.slackSecret, role);
  }
}
