/**
 * One Ferry Lambda (a worker, the API, a trigger): an esbuild-bundled ESM NodejsFunction on arm64
 * with its own role and log group, so every permission it has is one we granted on purpose.
 */
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeRule } from '../nag.ts';

/**
 * zod's API minus its locales (generated; tested against the installed zod), relative to the
 * project root: esbuild resolves aliases from its working directory, which is the project root
 * both when CDK bundles locally and inside its Docker fallback (mounted at /asset-input).
 */
export const ZOD_WITHOUT_LOCALES = './infra/bundling/zod-without-locales.mjs';

/**
 * esbuild settings shared by every Ferry Lambda: ESM (the code is ESM), the AWS SDK bundled in,
 * and a `require` for the CommonJS dependencies ESM bundles otherwise cannot load.
 */
export const FERRY_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node22',
  mainFields: ['module', 'main'],
  // The AWS SDK is bundled (its ES modules, tree-shaken) rather than loaded from the runtime's
  // copy: one parsed file instead of hundreds of modules resolved at init. Measured by
  // `npm run bench`: the API's cold init drops by ~50 ms (166 → 115 ms on the bench machine).
  // It also pins the SDK to the version the tests ran against.
  externalModules: [],
  banner:
    "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  esbuildArgs: {
    // The API's web page is .tsx for Hono's JSX runtime. esbuild would also find this in
    // tsconfig.json; said here so bundling never depends on which tsconfig it picks up.
    '--jsx': 'automatic',
    '--jsx-import-source': 'hono/jsx',
    // zod's `z` namespace drags in all 257 locales (264 KB of every bundle); this `z` has the
    // same API without them (infra/bundling/generate-zod-without-locales.mjs says why and how).
    '--alias:zod': ZOD_WITHOUT_LOCALES,
  },
};

/** Properties of a FerryFunction. */
export interface FerryFunctionProps {
  /** Path of the TypeScript entry file exporting `handler`. */
  readonly entry: string;
  /** What the function does, shown in the console. */
  readonly description: string;
  /** The function's timeout. */
  readonly timeout: Duration;
  /** Environment variables (configuration only, never secrets). */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * Memory in MiB.
   * @default 512
   */
  readonly memorySizeMiB?: number;
  /**
   * How long the function's logs are kept.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;
}

/** A Ferry Lambda with a role that starts with nothing but writing its own logs. */
export class FerryFunction extends Construct {
  /** The function. */
  readonly function: NodejsFunction;
  /** Its execution role: grant through this. */
  readonly role: Role;
  /** Its log group: its JSON log lines, and the EMF lines CloudWatch extracts Ferry's metrics from. */
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: FerryFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Our own role instead of the default one: that would attach the AWS-managed
    // AWSLambdaBasicExecutionRole, which may write to any log group in the account.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id}: only the actions its code calls`,
    });
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySizeMiB ?? 512,
      timeout: props.timeout,
      environment: { ...props.environment },
      role: this.role,
      logGroup: this.logGroup,
      bundling: FERRY_BUNDLING,
    });
    acknowledgeRule(
      this.function,
      'AwsSolutions-L1',
      'Node.js 22 is the runtime Ferry is built and tested for; moving to a newer one is a deliberate, tested change.',
    );
  }
}
