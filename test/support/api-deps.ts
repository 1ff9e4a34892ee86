/** The API deps tests and the bench share: bearer tokens for team `platform` as admin, quiet logs. */

import type { ApiDeps } from '../../services/api/deps.ts';
import { tokenAuthenticator } from '../../services/auth/token-authenticator.ts';
import { systemClock } from '../../services/core/clock.ts';
import { newDeploymentId } from '../../services/core/ids.ts';
import { silentLogger } from '../../services/core/logger.ts';
import type {
  DeploymentStore,
  TokenStore,
  Workflow,
  WorkflowCallbacks,
} from '../../services/core/ports.ts';
import { FakeBuildLogs } from '../fakes/fake-build-logs.ts';
import { FakeFunctionLogs } from '../fakes/fake-function-logs.ts';
import { FakeFunctions } from '../fakes/fake-functions.ts';
import { RecordingCallbacks } from '../fakes/recording-callbacks.ts';

/**
 * API deps over the given store, workflow and token store; `extra` adds rules, hooks…; the
 * workflow's callbacks record their resumes unless given; function logs and the doctor's functions come from fakes.
 */
export function testApiDeps(
  parts: {
    store: DeploymentStore;
    workflow: Workflow;
    tokens: TokenStore;
    callbacks?: WorkflowCallbacks;
  },
  extra: Partial<
    Pick<
      ApiDeps,
      | 'rules'
      | 'slackUsers'
      | 'registryHook'
      | 'slack'
      | 'clock'
      | 'functionLogs'
      | 'buildLogs'
      | 'doctor'
      | 'tokens'
    >
  > = {},
): ApiDeps {
  return {
    store: parts.store,
    workflow: parts.workflow,
    callbacks: parts.callbacks ?? new RecordingCallbacks(),
    authenticator: tokenAuthenticator(parts.tokens, 'platform'),
    tokens: parts.tokens,
    clock: systemClock,
    logger: silentLogger,
    newId: () => newDeploymentId(),
    functionLogs: new FakeFunctionLogs(),
    buildLogs: new FakeBuildLogs(),
    doctor: { functions: new FakeFunctions() },
    config: {
      adminTeam: 'platform',
      lockTtlSeconds: 600,
      maxBodyBytes: 65536,
      idempotencyTtlSeconds: 86400,
    },
    ...extra,
  };
}
