/**
 * The deployment store's DynamoDB table, laid out from the same definition local mode and the
 * store tests create it from (`storeTableDefinition`), so the keys and index cannot drift.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { STORE_TABLE, storeTableDefinition } from '../../services/adapters/aws/dynamo-table.ts';

/** Properties of the StoreTable. */
export interface StoreTableProps {
  /**
   * What happens to the table (deployment history, settings) when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

type KeySchema = NonNullable<ReturnType<typeof storeTableDefinition>['KeySchema']>;

/** `{ partitionKey, sortKey }` in CDK terms from a DynamoDB KeySchema (all Ferry keys are strings). */
function keysOf(schema: KeySchema) {
  const name = (type: 'HASH' | 'RANGE') => {
    const key = schema.find((k) => k.KeyType === type)?.AttributeName;
    if (!key) throw new Error(`store table definition has no ${type} key`);
    return { name: key, type: AttributeType.STRING };
  };
  return { partitionKey: name('HASH'), sortKey: name('RANGE') };
}

/** On-demand, point-in-time-recoverable, KMS-encrypted table with TTL on `ttl`. */
export class StoreTable extends Construct {
  /** The table. */
  readonly table: Table;
  /** The history index's name. */
  readonly historyIndexName: string = STORE_TABLE.historyIndex;

  constructor(scope: Construct, id: string, props: StoreTableProps = {}) {
    super(scope, id);
    const definition = storeTableDefinition('ferry');
    this.table = new Table(this, 'Table', {
      ...keysOf(definition.KeySchema ?? []),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Locks and idempotency keys expire through this attribute (epoch seconds).
      timeToLiveAttribute: STORE_TABLE.ttlAttribute,
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    for (const index of definition.GlobalSecondaryIndexes ?? []) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.IndexName ?? '',
        ...keysOf(index.KeySchema ?? []),
        projectionType: ProjectionType.ALL,
      });
    }
  }
}
