/**
 * The page's actions as plain HTML forms: roll back, approve, abort. Each adapts a form to the
 * use case the API calls (services/app), with the signed-in team as the caller, so who may do
 * what is decided in one place. A POST must come from a cookie session, from this site
 * (hono/csrf: Origin / Sec-Fetch-Site) and carry the session's form token; anything else is a 403
 * that changes nothing. The result — done, or the use case's refusal — goes back to the page the
 * form was on as a message (303, so a reload never repeats the action).
 */
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { abortDeployment, approveDeployment } from '../app/release-decisions.ts';
import { requestRollback } from '../app/rollback.ts';
import { describeError, type FerryErrorName, isFerryError, NotFoundError } from '../core/errors.ts';
import { isDeploymentId } from '../core/ids.ts';
import { type Flash, setFlash } from './flash.ts';
import { FORM_TOKEN_FIELD, isFormToken } from './form-token.ts';
import { FUNCTION_NAME, shortDigest } from './format.ts';
import type { WebEnv } from './render.ts';
import type { WebDeps } from './routes.tsx';
import { findViewer } from './session.ts';

/** A form holds a token and a deployment id: anything this large is not ours. */
const MAX_FORM_BYTES = 4096;

/** The use cases' named refusals, shown as the form's result; anything else is a 500 page. */
const REFUSALS: readonly FerryErrorName[] = [
  'AccessDeniedError',
  'NotFoundError',
  'InvalidRequestError',
  'ConflictError',
  'TransientError',
];

/** A 403 page with `message` (routes.tsx's onError renders it). */
const refused = (message: string) => new HTTPException(403, { message });

/** Runs `action` and sends the browser back to `back` with its result. */
async function act(c: Context<WebEnv>, back: string, action: () => Promise<Flash>) {
  try {
    setFlash(c, back, await action());
  } catch (error) {
    if (!REFUSALS.some((name) => isFerryError(error, name))) throw error;
    setFlash(c, back, { kind: 'error', text: `Not done: ${describeError(error).message}` });
  }
  return c.redirect(back, 303);
}

/** The form's `name` field as a string, or undefined. */
const field = (c: Context<WebEnv>, name: string) => {
  const value = c.get('form')[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** A deployment id from the path, or a 404 page. */
function deploymentIdOf(c: Context<WebEnv>): string {
  const id = c.req.param('id') ?? '';
  if (!isDeploymentId(id)) throw new NotFoundError(`no deployment ${id}`);
  return id;
}

/** `POST /functions/:name/rollback`, `POST /deployments/:id/approve|abort`. */
export function actionRoutes(deps: WebDeps): Hono<WebEnv> {
  const routes = new Hono<WebEnv>();

  const formGuard: MiddlewareHandler<WebEnv> = async function formGuard(c, next) {
    const viewer = await findViewer(c, deps.authenticator);
    // Header credentials (SigV4, bearer) are not a browser session: they have no form token.
    if (!viewer?.viaCookie)
      throw refused('Page actions need a session: sign in with the form, or use the ferry CLI.');
    const form = await c.req.parseBody();
    if (!isFormToken(c, form[FORM_TOKEN_FIELD]))
      throw refused('This form did not come from this session: reload the page and try again.');
    c.set('caller', viewer.caller);
    c.set('viaCookie', true);
    c.set('form', form);
    await next();
  };
  const guard = [csrf(), bodyLimit({ maxSize: MAX_FORM_BYTES }), formGuard] as const;

  routes.post('/functions/:name/rollback', ...guard, (c) => {
    const name = c.req.param('name');
    if (!FUNCTION_NAME.test(name))
      throw new NotFoundError(`No function ${name} is registered with Ferry.`);
    const to = field(c, 'to');
    return act(c, `/functions/${encodeURIComponent(name)}`, async () => {
      if (to && !isDeploymentId(to)) throw new NotFoundError(`no deployment ${to} of ${name}`);
      const { deployment, target } = await requestRollback(deps, c.get('caller'), name, {
        ...(to ? { to } : {}),
      });
      return {
        kind: 'ok',
        text: `Rollback started: ${deployment.id} releases ${shortDigest(target.release.digest)} of ${target.id} again.`,
        deploymentId: deployment.id,
      };
    });
  });

  routes.post('/deployments/:id/approve', ...guard, (c) => {
    const id = deploymentIdOf(c);
    return act(c, `/deployments/${id}`, async () => {
      const d = await approveDeployment(deps, c.get('caller'), id);
      const version = d.release?.version ? ` version ${d.release.version}` : ' the new version';
      return { kind: 'ok', text: `Approved: all traffic moves to${version}.` };
    });
  });

  routes.post('/deployments/:id/abort', ...guard, (c) => {
    const id = deploymentIdOf(c);
    return act(c, `/deployments/${id}`, async () => {
      await abortDeployment(deps, c.get('caller'), id);
      return {
        kind: 'ok',
        text: 'Abort recorded: the release rolls back to the previous version.',
      };
    });
  });
  return routes;
}
