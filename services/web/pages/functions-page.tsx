/** `GET /`: the functions the caller may see, each with its live release and latest deployment. */

import type { FunctionOverview } from '../../app/function-overview.ts';
import type { Caller } from '../../auth/authenticator.ts';
import type { Flash } from '../flash.ts';
import { formatBytes, formatMs, formatTime, shortDigest } from '../format.ts';
import { Layout, StatusBadge } from '../layout.tsx';

/** Properties of {@link FunctionsPage}. */
export interface FunctionsPageProps {
  readonly caller: Caller;
  readonly rows: readonly FunctionOverview[];
  readonly canSignOut: boolean;
  readonly formToken?: string | null | undefined;
  readonly flash?: Flash | null | undefined;
  /** Some function has a deployment in flight: reload until it ends. */
  readonly refreshSeconds?: number | undefined;
}

/** The index page. */
export function FunctionsPage(props: FunctionsPageProps) {
  return (
    <Layout
      title="Functions"
      caller={props.caller}
      canSignOut={props.canSignOut}
      refreshSeconds={props.refreshSeconds}
      formToken={props.formToken}
      flash={props.flash}
    >
      <h1>Functions</h1>
      {props.rows.length === 0 ? (
        <p class="muted">
          {props.caller.admin
            ? 'No function is registered yet: register one with ferry functions put NAME.'
            : `No function of team ${props.caller.team} is registered yet.`}
        </p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Function</th>
              <th>Team</th>
              <th>Live release</th>
              <th class="num">Compressed</th>
              <th class="num">Init duration</th>
              <th>Latest deployment</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => (
              <tr>
                <td>
                  <a href={`/functions/${encodeURIComponent(row.name)}`}>{row.name}</a>
                </td>
                <td>{row.team}</td>
                <td>
                  {row.live ? (
                    <>
                      <code title={row.live.digest}>{shortDigest(row.live.digest)}</code>{' '}
                      <span class="muted">
                        {row.alias} → v{row.live.version ?? '?'}
                      </span>
                    </>
                  ) : (
                    <span class="muted">none released by Ferry</span>
                  )}
                </td>
                <td class="num">{formatBytes(row.live?.compressedBytes)}</td>
                <td class="num">{row.live ? formatMs(row.live.initDurationMs) : '-'}</td>
                <td>
                  {row.latest ? (
                    <>
                      <StatusBadge status={row.latest.status} />{' '}
                      <a href={`/deployments/${row.latest.id}`}>
                        {formatTime(row.latest.createdAt)}
                      </a>
                    </>
                  ) : (
                    <span class="muted">never deployed</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
