/** The API deps tests and the bench share: bearer tokens for team `platform` as admin, quiet logs. */

import type { ApiDeps } from '../../services/api/deps.ts';
import { tokenAuthenticator } from '../../services/auth/token-authenticator.ts';
import { systemClock } from '../../services/core/clock.ts';
import { newDeploymentId } from '../../services/core/ids.ts';
import { silentLogger } from '../../services/core/logger.ts';
import type { DeploymentStore, TokenStore, Workflow } from '../../services/core/ports.ts';

/** API deps over the given store, workflow and token store; `extra` adds rules, hooks… */
export function testApiDeps(
  parts: { store: DeploymentStore; workflow: Workflow; tokens: TokenStore },
  extra: Partial<Pick<ApiDeps, 'rules' | 'slackUsers' | 'registryHook' | 'slack' | 'clock'>> = {},
): ApiDeps {
  return {
    store: parts.store,
    workflow: parts.workflow,
    authenticator: tokenAuthenticator(parts.tokens, 'platform'),
    clock: systemClock,
    logger: silentLogger,
    newId: () => newDeploymentId(),
    config: {
      adminTeam: 'platform',
      lockTtlSeconds: 600,
      maxBodyBytes: 65536,
      idempotencyTtlSeconds: 86400,
    },
    ...extra,
  };
}
