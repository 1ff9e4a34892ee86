/** 401, 403 and 404 as pages: what happened and what to do, nothing about what exists. */
import type { Caller } from '../../auth/authenticator.ts';
import type { Flash } from '../flash.ts';
import { Layout } from '../layout.tsx';

/** Properties of {@link MessagePage}. */
export interface MessagePageProps {
  readonly title: string;
  readonly message: string;
  readonly caller?: Caller | undefined;
  readonly canSignOut?: boolean | undefined;
  readonly formToken?: string | null | undefined;
  readonly flash?: Flash | null | undefined;
}

/** A page with one message. */
export function MessagePage(props: MessagePageProps) {
  return (
    <Layout
      title={props.title}
      caller={props.caller}
      canSignOut={props.canSignOut}
      formToken={props.formToken}
      flash={props.flash}
    >
      <h1>{props.title}</h1>
      <p id="message">{props.message}</p>
      <p>
        <a href="/">All functions</a>
      </p>
    </Layout>
  );
}
