/** `GET /login` (local mode): a form that trades the admin or a team token for a session cookie. */
import { Layout } from '../layout.tsx';

/** Properties of {@link LoginPage}. */
export interface LoginPageProps {
  /** Where to go after signing in (a local path). */
  readonly next: string;
  /** Shown after a refused token. */
  readonly error?: string | undefined;
}

/** The sign-in page. */
export function LoginPage(props: LoginPageProps) {
  return (
    <Layout title="Sign in">
      <h1>Sign in to Ferry</h1>
      <p class="muted">
        Paste a Ferry token: the admin token <code>npm start</code> printed (or{' '}
        <code>FERRY_ADMIN_TOKEN</code>), or a team's token. It is kept in an HttpOnly cookie for
        this site only.
      </p>
      {props.error ? (
        <p class="error" role="alert">
          {props.error}
        </p>
      ) : null}
      <form class="login" method="post" action="/login">
        <input type="hidden" name="next" value={props.next} />
        <label for="token">Token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required />
        <button type="submit">Sign in</button>
      </form>
    </Layout>
  );
}
