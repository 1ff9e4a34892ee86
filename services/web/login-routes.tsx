/**
 * Local mode's sign-in: `GET /login` shows the form, `POST /login` checks the token with the
 * same token store as the API and keeps it in a session cookie, `POST /logout` clears it.
 * hono/csrf refuses forms posted from other sites (login CSRF would sign a victim in as the
 * attacker), the cookie is SameSite=Strict, and signing out also needs the session's form token.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import type { Authenticator } from '../auth/authenticator.ts';
import { FORM_TOKEN_FIELD, isFormToken } from './form-token.ts';
import { localPath } from './format.ts';
import { LoginPage } from './pages/login-page.tsx';
import { htmlPage, type WebEnv } from './render.ts';
import { endSession, startSession } from './session.ts';

/** A token is at most 256 characters: a form this large is not a sign-in. */
const MAX_FORM_BYTES = 4096;

/** The login and logout routes (only where the authenticator verifies tokens). */
export function loginRoutes(authenticator: Authenticator): Hono<WebEnv> {
  const routes = new Hono<WebEnv>();
  const verify = authenticator.verifyToken?.bind(authenticator);
  if (!verify) throw new Error('loginRoutes needs an authenticator with verifyToken (local mode)');

  routes.get('/login', (c) =>
    htmlPage(c, 200, <LoginPage next={localPath(c.req.query('next'))} />),
  );

  routes.post('/login', csrf(), bodyLimit({ maxSize: MAX_FORM_BYTES }), async (c) => {
    const form = await c.req.parseBody();
    const next = localPath(typeof form.next === 'string' ? form.next : undefined);
    const token = typeof form.token === 'string' ? form.token.trim() : '';
    const caller = token ? await verify(token) : null;
    if (!caller) {
      const error = 'That token is not valid here. Check it and try again.';
      return htmlPage(c, 401, <LoginPage next={next} error={error} />);
    }
    startSession(c, token);
    // 303: the browser follows with a GET, so a reload never re-posts the token.
    return c.redirect(next, 303);
  });

  routes.post('/logout', csrf(), bodyLimit({ maxSize: MAX_FORM_BYTES }), async (c) => {
    // Signing someone out is a change too: only this session's own pages may.
    const form = await c.req.parseBody();
    if (!isFormToken(c, form[FORM_TOKEN_FIELD]))
      throw new HTTPException(403, { message: 'Sign out from a page of this session.' });
    endSession(c);
    return c.redirect('/login', 303);
  });
  return routes;
}
