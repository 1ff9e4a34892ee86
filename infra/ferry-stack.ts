/**
 * All of Ferry on AWS: store, build repository and projects, workers, workflow, API, triggers,
 * alerts, alarms and dashboard — composed from the small constructs in `infra/constructs/`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Annotations, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { deployLockTtlSeconds } from '../statemachine/substitutions.ts';
import type { FerryConfig } from './config.ts';
import { Alarms } from './constructs/alarms.ts';
import { Alerts } from './constructs/alerts.ts';
import { Api } from './constructs/api.ts';
import { BuildProjects } from './constructs/build-projects.ts';
import { FerryDashboard } from './constructs/dashboard.ts';
import { FerryFunction } from './constructs/ferry-function.ts';
import { FerryMetrics } from './constructs/ferry-metrics.ts';
import { Gc } from './constructs/gc.ts';
import { ImageRepository } from './constructs/image-repository.ts';
import { CursorSecret, SlackSecret } from './constructs/secrets.ts';
import { StoreTable } from './constructs/store-table.ts';
import { Triggers } from './constructs/triggers.ts';
import { Workers } from './constructs/workers.ts';
import { Workflow } from './constructs/workflow.ts';

const repoPath = (relative: string) => fileURLToPath(new URL(`../${relative}`, import.meta.url));

/** Where the API Lambda's entry is. */
export const API_HANDLER_ENTRY = repoPath('services/api/handler.ts');
/** Where the ECR-push trigger Lambda's entry is. */
export const ECR_TRIGGER_HANDLER_ENTRY = repoPath('services/triggers/ecr-handler.ts');
/** Where the scheduled gc Lambda's entry is. */
export const GC_HANDLER_ENTRY = repoPath('services/gc/handler.ts');

/** Properties of the FerryStack. */
export interface FerryStackProps extends StackProps {
  /** The validated configuration (from `cdk.json` context). */
  readonly config: FerryConfig;
  /**
   * Entry of the API Lambda. When the file does not exist, no API is created (with a warning).
   * @default API_HANDLER_ENTRY
   */
  readonly apiHandlerEntry?: string;
  /**
   * Entry of the ECR-push trigger Lambda. When the file does not exist, the push rule is created
   * without a target (with a warning).
   * @default ECR_TRIGGER_HANDLER_ENTRY
   */
  readonly ecrTriggerHandlerEntry?: string;
}

/** The Ferry stack. */
export class FerryStack extends Stack {
  /** The API, when its handler exists. */
  readonly api?: Api;

  constructor(scope: Construct, id: string, props: FerryStackProps) {
    super(scope, id, props);
    const { config } = props;

    const store = new StoreTable(this, 'Store');
    const images = new ImageRepository(this, 'Images', {
      candidateExpiryDays: config.candidateExpiryDays,
    });
    const builds = new BuildProjects(this, 'Builds', {
      repository: images.repository,
      sourceBuckets: config.sourceBuckets,
    });
    const slack = config.slack ? new SlackSecret(this, 'Slack') : undefined;
    // One lock lifetime for every Lambda that takes the lock, from the workflow's own timeout.
    const lockTtlSeconds = deployLockTtlSeconds();
    const workers = new Workers(this, 'Workers', {
      lockTtlSeconds,
      ...(slack ? { slackSecret: slack.secret } : {}),
      table: store.table,
      historyIndexName: store.historyIndexName,
      buildRepository: images.repository,
      repositoryNames: config.repositories,
      optIn: config.optIn,
    });
    const workflow = new Workflow(this, 'Workflow', {
      workers: workers.lambdas,
      x86BuildProject: builds.x86_64,
      arm64BuildProject: builds.arm64,
    });
    const stateMachine = workflow.stateMachine;
    workers.allowCallbacks(stateMachine);
    // Finalize quotes a failed build's last log lines in the deployment's reason.
    builds.grantReadLogs(workers.functions.Finalize.role);

    const gc = new Gc(this, 'Gc', {
      entry: GC_HANDLER_ENTRY,
      table: store.table,
      historyIndexName: store.historyIndexName,
      lockTtlSeconds,
      buildRepository: images.repository,
      repositoryNames: config.repositories,
      optIn: config.optIn,
      rollbackDepth: config.gc.rollbackDepth,
      minimumAgeDays: config.gc.minimumAgeDays,
      imageRemoval: config.gc.imageRemoval,
      ...(config.gc.schedule ? {} : { schedule: null }),
    });

    const apiEntry = props.apiHandlerEntry ?? API_HANDLER_ENTRY;
    if (existsSync(apiEntry)) {
      this.api = new Api(this, 'Api', {
        handlerEntry: apiEntry,
        table: store.table,
        historyIndexName: store.historyIndexName,
        stateMachine,
        adminTeam: config.adminTeam,
        lockTtlSeconds,
        principalTeams: config.principalTeams,
        watchedRepositories: config.repositories,
        optIn: config.optIn,
        buildRepository: images.repository,
        cursorSecret: new CursorSecret(this, 'Cursor').secret,
        gcFunction: gc.handler.function,
        ...(slack ? { slackSecret: slack.secret, slackUsers: config.slackUsers } : {}),
      });
      // GET /v1/deployments/{id}/build-log reads the build and its log.
      builds.grantReadLogs(this.api.handler.role);
      // Links in notifications point at the deployment's web page.
      workers.notifying(this.api.url);
      new CfnOutput(this, 'ApiUrl', {
        value: this.api.url,
        description: 'Ferry API base URL (FERRY_URL)',
      });
    } else {
      Annotations.of(this).addWarningV2('ferry:no-api', `No API: ${apiEntry} does not exist yet`);
    }

    const triggerEntry = props.ecrTriggerHandlerEntry ?? ECR_TRIGGER_HANDLER_ENTRY;
    // Without repositories there is no push rule, so no trigger to run.
    const pushHandler =
      config.repositories.length > 0 && existsSync(triggerEntry)
        ? this.triggerFunction(triggerEntry, store, stateMachine.stateMachineArn, {
            adminTeam: config.adminTeam,
            lockTtlSeconds,
          })
        : undefined;
    if (!pushHandler && config.repositories.length > 0) {
      Annotations.of(this).addWarningV2(
        'ferry:no-trigger',
        `ECR push rule has no target: ${triggerEntry} does not exist yet`,
      );
    }
    new Triggers(this, 'Triggers', {
      repositoryNames: config.repositories,
      ...(pushHandler ? { pushHandler: pushHandler.function } : {}),
    });

    const alerts = new Alerts(this, 'Alerts', { stateMachine });
    const metrics = new FerryMetrics();
    const workerFunctions = workers.all.map((w) => w.function);
    const httpApi = this.api ? { httpApi: this.api.httpApi } : {};
    new Alarms(this, 'Alarms', {
      topic: alerts.topic,
      stateMachine,
      metrics,
      workers: workerFunctions,
      ...httpApi,
    });
    new FerryDashboard(this, 'Dashboard', {
      stateMachine,
      metrics,
      workers: workerFunctions,
      ...httpApi,
    });

    new CfnOutput(this, 'StateMachineArn', { value: stateMachine.stateMachineArn });
    new CfnOutput(this, 'BuildRepositoryUri', { value: images.repository.repositoryUri });
    new CfnOutput(this, 'TableName', { value: store.table.tableName });
    new CfnOutput(this, 'AlertsTopicArn', { value: alerts.topic.topicArn });
    if (slack) new CfnOutput(this, 'SlackSecretArn', { value: slack.secret.secretArn });
  }

  /**
   * The ECR-push trigger Lambda: reads rules (Get/Query), records deployments and idempotency
   * keys, takes and releases function locks, starts executions.
   */
  private triggerFunction(
    entry: string,
    store: StoreTable,
    stateMachineArn: string,
    rules: { readonly adminTeam: string; readonly lockTtlSeconds: number },
  ): FerryFunction {
    const trigger = new FerryFunction(this, 'EcrTrigger', {
      entry,
      description: 'Ferry ECR push trigger',
      timeout: Duration.seconds(60),
      environment: {
        FERRY_TABLE_NAME: store.table.tableName,
        FERRY_STATE_MACHINE_ARN: stateMachineArn,
        FERRY_ADMIN_TEAM: rules.adminTeam,
        FERRY_LOCK_TTL_SECONDS: String(rules.lockTtlSeconds),
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
    trigger.role.addToPolicy(
      new PolicyStatement({
        // DeleteItem: a rollout that cannot start releases the function lock it took.
        actions: [
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:Query',
        ],
        resources: [store.table.tableArn],
      }),
    );
    trigger.role.addToPolicy(
      new PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachineArn] }),
    );
    return trigger;
  }
}
