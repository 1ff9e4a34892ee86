/**
 * Every store port's contract against every implementation: the in-memory fake, and the
 * DynamoDB adapter on dynalite and on moto. A new port: its suite file and one line below.
 */

import { DynamoColdStartVerdicts } from '../../services/adapters/aws/dynamo-cold-start-verdicts.ts';
import { DynamoReleaseHolds } from '../../services/adapters/aws/dynamo-holds.ts';
import { DynamoLiveReleases } from '../../services/adapters/aws/dynamo-live-releases.ts';
import { DynamoMessageClaims } from '../../services/adapters/aws/dynamo-message-claims.ts';
import { DynamoRolloutQueue } from '../../services/adapters/aws/dynamo-rollout-queue.ts';
import { DynamoRuleStore } from '../../services/adapters/aws/dynamo-rule-store.ts';
import { DynamoSlackUserLinks } from '../../services/adapters/aws/dynamo-slack-users.ts';
import { DynamoDeploymentStore } from '../../services/adapters/aws/dynamo-store.ts';
import { DynamoTokenStore } from '../../services/adapters/aws/dynamo-token-store.ts';
import { MemoryMessageClaims } from '../fakes/memory-claims.ts';
import { MemoryReleaseHolds } from '../fakes/memory-holds.ts';
import { MemoryRolloutQueue } from '../fakes/memory-rollout-queue.ts';
import { MemoryRuleStore } from '../fakes/memory-rules.ts';
import { MemorySlackUserLinks } from '../fakes/memory-slack-users.ts';
import { MemoryStore } from '../fakes/memory-store.ts';
import { MemoryTokenStore } from '../fakes/memory-tokens.ts';
import { MemoryColdStartVerdicts } from '../fakes/memory-verdicts.ts';
import {
  contract,
  dynaliteBackend,
  type Implementations,
  memoryBackend,
  motoBackend,
  runContracts,
} from './backends.ts';
import { describeColdStartVerdictsContract } from './cold-start-verdicts.contract.ts';
import { describeDeploymentRecordsContract } from './deployment-records.contract.ts';
import { describeFunctionLocksContract } from './function-locks.contract.ts';
import { describeIdempotencyKeysContract } from './idempotency-keys.contract.ts';
import { describeLiveReleasesContract } from './live-releases.contract.ts';
import { CLAIM_TTL_SECONDS, describeMessageClaimsContract } from './message-claims.contract.ts';
import { describeReleaseHoldsContract } from './release-holds.contract.ts';
import { describeReplyUrlsContract } from './reply-urls.contract.ts';
import { describeRolloutQueueContract } from './rollout-queue.contract.ts';
import { describeRuleStoreContract } from './rule-store.contract.ts';
import { describeSettingsStoreContract } from './settings-store.contract.ts';
import { describeSlackUserLinksContract } from './slack-user-links.contract.ts';
import { describeTokenStoreContract } from './token-store.contract.ts';

/** MemoryStore / DynamoDeploymentStore implement eight ports each. */
const deploymentStore: Implementations<MemoryStore | DynamoDeploymentStore> = {
  memory: ({ clock }) => new MemoryStore({ clock }),
  dynamo: ({ client, tableName, clock }) =>
    new DynamoDeploymentStore(client, { tableName, clock, cursorSecret: 'contract-secret' }),
};

runContracts(
  [memoryBackend(), dynaliteBackend(), motoBackend()],
  [
    contract(describeDeploymentRecordsContract, deploymentStore),
    contract(describeFunctionLocksContract, deploymentStore),
    contract(describeIdempotencyKeysContract, deploymentStore),
    contract(describeSettingsStoreContract, deploymentStore),
    contract(describeReplyUrlsContract, deploymentStore),
    contract(describeLiveReleasesContract, deploymentStore),
    // The live record's own adapter, as DynamoDeploymentStore composes it.
    contract(describeLiveReleasesContract, {
      memory: ({ clock }) => new MemoryStore({ clock }),
      dynamo: ({ client, tableName }) => new DynamoLiveReleases(client, tableName),
    }),
    contract(describeColdStartVerdictsContract, {
      memory: () => new MemoryColdStartVerdicts(),
      dynamo: ({ client, tableName }) => new DynamoColdStartVerdicts(client, tableName),
    }),
    contract(describeReleaseHoldsContract, deploymentStore),
    // The holds' own adapter, as DynamoDeploymentStore composes it.
    contract(describeReleaseHoldsContract, {
      memory: ({ clock }) => new MemoryReleaseHolds(clock),
      dynamo: ({ client, tableName, clock }) => new DynamoReleaseHolds(client, tableName, clock),
    }),
    contract(describeMessageClaimsContract, {
      memory: ({ clock }) => new MemoryMessageClaims(clock, CLAIM_TTL_SECONDS),
      dynamo: ({ client, tableName, clock }) =>
        new DynamoMessageClaims(client, { tableName, clock, ttlSeconds: CLAIM_TTL_SECONDS }),
    }),
    contract(describeRuleStoreContract, {
      memory: () => new MemoryRuleStore(),
      dynamo: ({ client, tableName }) => new DynamoRuleStore(client, tableName),
    }),
    contract(describeRolloutQueueContract, {
      memory: () => new MemoryRolloutQueue(),
      dynamo: ({ client, tableName, clock }) => new DynamoRolloutQueue(client, tableName, clock),
    }),
    contract(describeSlackUserLinksContract, {
      memory: () => new MemorySlackUserLinks(),
      dynamo: ({ client, tableName }) => new DynamoSlackUserLinks(client, tableName),
    }),
    contract(describeTokenStoreContract, {
      memory: () => new MemoryTokenStore(),
      dynamo: ({ client, tableName }) => new DynamoTokenStore(client, tableName),
    }),
  ],
);
