/** The page frame every web page shares: head, inline styles, who is signed in. */

import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { Caller } from '../auth/authenticator.ts';
import type { Flash } from './flash.ts';
import { FORM_TOKEN_FIELD } from './form-token.ts';
import { STYLES } from './styles.ts';

/** Properties of {@link Layout}. */
export interface LayoutProps {
  readonly title: string;
  /** Who is looking; absent on the login and error pages. */
  readonly caller?: Caller | undefined;
  /** Reload every N seconds (a deployment in flight): plain HTML, works without JavaScript. */
  readonly refreshSeconds?: number | undefined;
  /** Show the sign-out button (cookie sessions only). */
  readonly canSignOut?: boolean | undefined;
  /** The session's form token, carried by every form (null or absent: no forms). */
  readonly formToken?: string | null | undefined;
  /** The last form's result, shown once above the page. */
  readonly flash?: Flash | null | undefined;
  readonly children?: Child;
}

/** The HTML document around a page. */
export function Layout(props: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {props.refreshSeconds ? (
          <meta http-equiv="refresh" content={String(props.refreshSeconds)} />
        ) : null}
        <title>{`${props.title} · Ferry`}</title>
        {/* A constant of ours, not data: raw so CSS selectors such as `>` survive escaping. */}
        <style>{raw(STYLES)}</style>
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/">
            Ferry
          </a>
          <a href="/">Functions</a>
          {props.caller ? (
            <span class="who">
              {props.caller.principal} · team {props.caller.team}
              {props.caller.admin ? ' (admin)' : ''}
            </span>
          ) : null}
          {props.canSignOut && props.formToken ? (
            <form class="inline" method="post" action="/logout">
              <FormToken token={props.formToken} />
              <button type="submit">Sign out</button>
            </form>
          ) : null}
        </header>
        <main>
          {props.flash ? <FlashMessage flash={props.flash} /> : null}
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** The hidden field that proves a form came from this session's page. */
export function FormToken(props: { token: string }) {
  return <input type="hidden" name={FORM_TOKEN_FIELD} value={props.token} />;
}

/** A form's result: done (green) or refused with the use case's words (red). */
function FlashMessage(props: { flash: Flash }) {
  const { kind, text, deploymentId } = props.flash;
  return (
    <p class={`flash ${kind}`} id="flash" role={kind === 'error' ? 'alert' : 'status'}>
      {text}
      {deploymentId ? (
        <>
          {' '}
          <a href={`/deployments/${deploymentId}`}>Follow it →</a>
        </>
      ) : null}
    </p>
  );
}

/** A deployment status as a coloured badge. */
export function StatusBadge(props: { status: string }) {
  return <span class={`status s-${props.status}`}>{props.status}</span>;
}
