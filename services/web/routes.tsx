/**
 * The web page: server-rendered HTML over the same store and the same authorization as the API.
 * Mounted on the API app outside /v1, each route with its own middleware (a `use('*')` here
 * would also run for /v1 once mounted at the root).
 */
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { functionOverviews } from '../app/function-overview.ts';
import { deploymentFor, historyFor } from '../app/reads.ts';
import type { Authenticator } from '../auth/authenticator.ts';
import type { Clock } from '../core/clock.ts';
import { isTerminal } from '../core/deployment.ts';
import { NotFoundError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { BuildLogs, DeploymentStore } from '../core/ports.ts';
import { errorPage } from './error-page.ts';
import { loginRoutes } from './login-routes.tsx';
import { DeploymentPage } from './pages/deployment-page.tsx';
import { FunctionPage } from './pages/function-page.tsx';
import { FunctionsPage } from './pages/functions-page.tsx';
import { MessagePage } from './pages/message-page.tsx';
import { htmlPage, REFRESH_SECONDS, type WebEnv } from './render.ts';
import { buildLogView } from './sections/build-log.tsx';
import { findViewer } from './session.ts';

const FUNCTION_NAME = /^[a-zA-Z0-9-_]{1,64}$/;
const HISTORY_PAGE = 50;

/** What the web page reads with, and how viewers sign in. */
export interface WebDeps {
  readonly store: DeploymentStore;
  readonly authenticator: Authenticator;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Failed builds' logs, shown on their deployment pages. @default - none shown */
  readonly buildLogs?: BuildLogs;
}

/** `/`, `/functions/:name`, `/deployments/:id`, and locally `/login` and `/logout`. */
export function webRoutes(deps: WebDeps): Hono<WebEnv> {
  const web = new Hono<WebEnv>();
  const canLogin = Boolean(deps.authenticator.verifyToken);

  const signedIn: MiddlewareHandler<WebEnv> = async function signedIn(c, next) {
    const viewer = await findViewer(c, deps.authenticator);
    if (!viewer) {
      const url = new URL(c.req.url);
      if (canLogin)
        return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 302);
      const message = 'Send a SigV4-signed request (see the README: "Open the web page on AWS").';
      return htmlPage(c, 401, <MessagePage title="Sign-in required" message={message} />);
    }
    c.set('caller', viewer.caller);
    c.set('viaCookie', viewer.viaCookie);
    await next();
  };

  web.get('/', signedIn, async (c) => {
    const rows = await functionOverviews(deps.store, c.get('caller'));
    const busy = rows.some((r) => r.latest && !isTerminal(r.latest.status));
    const refresh = busy ? REFRESH_SECONDS : undefined;
    return htmlPage(c, 200, <FunctionsPage {...frame(c)} rows={rows} refreshSeconds={refresh} />);
  });

  web.get('/functions/:name', signedIn, async (c) => {
    const name = c.req.param('name');
    if (!FUNCTION_NAME.test(name))
      throw new NotFoundError(`No function ${name} is registered with Ferry.`);
    const { settings, ...page } = await historyFor(deps.store, c.get('caller'), name, {
      limit: HISTORY_PAGE,
      cursor: c.req.query('cursor'),
    });
    const busy = page.items.some((d) => !isTerminal(d.status));
    return htmlPage(
      c,
      200,
      <FunctionPage
        {...frame(c)}
        name={name}
        settings={settings}
        items={page.items}
        olderCursor={page.cursor}
        refreshSeconds={busy ? REFRESH_SECONDS : undefined}
      />,
    );
  });

  web.get('/deployments/:id', signedIn, async (c) => {
    const deployment = await deploymentFor(deps.store, c.get('caller'), c.req.param('id'));
    const refresh = isTerminal(deployment.status) ? undefined : REFRESH_SECONDS;
    const now = deps.clock.now();
    return htmlPage(
      c,
      200,
      <DeploymentPage
        {...frame(c)}
        deployment={deployment}
        now={now}
        refreshSeconds={refresh}
        buildLog={await buildLogView(deps.buildLogs, deployment)}
      />,
    );
  });

  if (canLogin) web.route('/', loginRoutes(deps.authenticator));

  web.onError((error, c) => {
    if (error instanceof HTTPException && error.status === 403) {
      // hono/csrf: a form posted from another site.
      return htmlPage(
        c,
        403,
        <MessagePage title="Refused" message="Forms are accepted from this site only." />,
      );
    }
    const page = errorPage(error, deps.logger, c.req.path);
    return htmlPage(
      c,
      page.status,
      <MessagePage title={page.title} message={page.message} {...frame(c)} />,
    );
  });
  return web;
}

/** The page frame's view of who is looking (absent before sign-in). */
function frame(c: Context<WebEnv>) {
  return { caller: c.get('caller'), canSignOut: c.get('viaCookie') };
}
