/**
 * The web page: server-rendered HTML over the same store and the same authorization as the API.
 * Mounted on the API app outside /v1, each route with its own middleware (a `use('*')` here
 * would also run for /v1 once mounted at the root).
 */
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps } from '../app/deps.ts';
import { functionOverviews } from '../app/function-overview.ts';
import { deploymentFor, historyFor } from '../app/reads.ts';
import type { Authenticator } from '../auth/authenticator.ts';
import { isTerminal } from '../core/deployment.ts';
import { NotFoundError } from '../core/errors.ts';
import { liveOf } from '../core/live.ts';
import type { BuildLogs } from '../core/ports.ts';
import { actionRoutes } from './action-routes.tsx';
import { errorPage } from './error-page.ts';
import { clearFlash, readFlash } from './flash.ts';
import { formTokenOf } from './form-token.ts';
import { FUNCTION_NAME } from './format.ts';
import { loginRoutes } from './login-routes.tsx';
import { DeploymentPage } from './pages/deployment-page.tsx';
import { FunctionPage } from './pages/function-page.tsx';
import { FunctionsPage } from './pages/functions-page.tsx';
import { MessagePage } from './pages/message-page.tsx';
import { htmlPage, REFRESH_SECONDS, type WebEnv } from './render.ts';
import { rollbackChoice } from './rollback-choice.ts';
import { buildLogView } from './sections/build-log.tsx';
import { findViewer } from './session.ts';

const HISTORY_PAGE = 50;

/** What the web page reads and acts with (the use cases' deps), and how viewers sign in. */
export interface WebDeps extends AppDeps {
  readonly authenticator: Authenticator;
  /** Failed builds' logs, shown on their deployment pages. @default - none shown */
  readonly buildLogs?: BuildLogs;
}

/**
 * `/`, `/functions/:name`, `/deployments/:id`, their forms (action-routes.tsx), and locally
 * `/login` and `/logout`.
 */
export function webRoutes(deps: WebDeps): Hono<WebEnv> {
  const web = new Hono<WebEnv>();
  const canLogin = Boolean(deps.authenticator.verifyToken);

  const signedIn: MiddlewareHandler<WebEnv> = async function signedIn(c, next) {
    const viewer = await findViewer(c, deps.authenticator);
    if (!viewer) {
      const url = new URL(c.req.url);
      if (canLogin)
        return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 302);
      const message = 'Send a SigV4-signed request (see docs/aws.md: "Open the web page").';
      return htmlPage(c, 401, <MessagePage title="Sign-in required" message={message} />);
    }
    c.set('caller', viewer.caller);
    c.set('viaCookie', viewer.viaCookie);
    c.set('formToken', viewer.viaCookie ? formTokenOf(c) : null);
    c.set('flash', readFlash(c));
    await next();
  };

  web.get('/', signedIn, async (c) => {
    const rows = await functionOverviews(deps.store, c.get('caller'));
    const busy = rows.some((r) => r.latest && !isTerminal(r.latest.status));
    const refresh = busy ? REFRESH_SECONDS : undefined;
    return htmlPage(
      c,
      200,
      <FunctionsPage {...frame(c, refresh)} rows={rows} refreshSeconds={refresh} />,
    );
  });

  web.get('/functions/:name', signedIn, async (c) => {
    const name = c.req.param('name');
    if (!FUNCTION_NAME.test(name))
      throw new NotFoundError(`No function ${name} is registered with Ferry.`);
    const { settings, ...page } = await historyFor(deps.store, c.get('caller'), name, {
      limit: HISTORY_PAGE,
      cursor: c.req.query('cursor'),
    });
    const [live, rollback] = await Promise.all([
      liveOf(deps.store, name),
      rollbackChoice(deps.store, name),
    ]);
    const refresh = page.items.some((d) => !isTerminal(d.status)) ? REFRESH_SECONDS : undefined;
    return htmlPage(
      c,
      200,
      <FunctionPage
        {...frame(c, refresh)}
        name={name}
        settings={settings}
        items={page.items}
        live={live}
        rollback={rollback}
        olderCursor={page.cursor}
        refreshSeconds={refresh}
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
        {...frame(c, refresh)}
        deployment={deployment}
        now={now}
        refreshSeconds={refresh}
        buildLog={await buildLogView(deps.buildLogs, deployment)}
      />,
    );
  });

  web.route('/', actionRoutes(deps));
  if (canLogin) web.route('/', loginRoutes(deps.authenticator));

  web.onError((error, c) => {
    if (error instanceof HTTPException && error.status === 403) {
      // hono/csrf (a form posted from another site) says nothing; the form guard says why.
      const message = error.message || 'Forms are accepted from this site only.';
      return htmlPage(c, 403, <MessagePage title="Refused" message={message} />);
    }
    const page = errorPage(error, deps.logger, c.req.path);
    return htmlPage(
      c,
      page.status,
      <MessagePage title={page.title} message={page.message} {...frame(c, undefined)} />,
    );
  });
  return web;
}

/**
 * The page frame's view of who is looking (absent before sign-in), its forms' token and flash.
 * The flash is used up here unless the page reloads itself (`refreshSeconds`), which shows it
 * again until it expires.
 */
function frame(c: Context<WebEnv>, refreshSeconds: number | undefined) {
  if (refreshSeconds === undefined) clearFlash(c);
  return {
    caller: c.get('caller'),
    canSignOut: c.get('viaCookie'),
    formToken: c.get('formToken') ?? null,
    flash: c.get('flash') ?? null,
  };
}
