/**
 * A function's release history: the live release marked (both releases with their weights
 * during a gradual release), version, reasons, figures, and a "roll back to this release" form
 * on each earlier release whose image is still there.
 */
import type { Deployment } from '../../core/deployment.ts';
import type { LiveRelease } from '../../core/live.ts';
import { formatBytes, formatMs, formatTime, shortDigest, truncate } from '../format.ts';
import { collectedWord, imageCollectedAt } from '../image-collected.ts';
import { FormToken, StatusBadge } from '../layout.tsx';
import { markText, releaseMarks } from '../release-marks.ts';

/** How much of a reason fits a row; the deployment page has all of it. */
const REASON_CHARS = 80;

/** The deployment's own reason (`--reason`) and, when it did not succeed, why it ended so. */
function Reasons(props: { d: Deployment }) {
  const { d } = props;
  const asked = d.request?.reason;
  const outcome = d.status === 'SUCCEEDED' ? undefined : d.reason;
  if (!asked && !outcome) return <span class="muted">-</span>;
  return (
    <>
      {asked ? <div title={asked}>{truncate(asked, REASON_CHARS)}</div> : null}
      {outcome ? (
        <div class="error" title={outcome}>
          {truncate(outcome, REASON_CHARS)}
        </div>
      ) : null}
    </>
  );
}

/** The row's rollback form: a SUCCEEDED release other than the live digest whose image is kept. */
function RollbackTo(props: {
  name: string;
  d: Deployment;
  live: LiveRelease | null;
  formToken: string | null;
}) {
  const { d, live } = props;
  const digest = d.release?.digest;
  if (!props.formToken || d.status !== 'SUCCEEDED' || !digest || !d.release?.imageUri) return null;
  if (live?.digest === digest || imageCollectedAt(d)) return null;
  return (
    <form
      class="inline"
      method="post"
      action={`/functions/${encodeURIComponent(props.name)}/rollback`}
    >
      <FormToken token={props.formToken} />
      <input type="hidden" name="to" value={d.id} />
      <button type="submit" class="small" title={`Deploy ${digest} again as a rollback`}>
        Roll back to this release
      </button>
    </form>
  );
}

/** `1 layer`, `3 layers`. */
const layersOf = (n: number) => `${n} layer${n === 1 ? '' : 's'}`;

/** Properties of {@link HistoryTable}. */
export interface HistoryTableProps {
  readonly name: string;
  /** Newest first. */
  readonly items: readonly Deployment[];
  readonly live: LiveRelease | null;
  readonly formToken: string | null;
}

/** The history table, or a sentence when there is none. */
export function HistoryTable(props: HistoryTableProps) {
  if (props.items.length === 0) return <p class="muted">No deployment yet.</p>;
  const marks = releaseMarks(props.items, props.live);
  return (
    <div class="wide">
      <table id="history" class="cards">
        <thead>
          <tr>
            <th>When (UTC)</th>
            <th>Status</th>
            <th>Version</th>
            <th>Trigger</th>
            <th>Digest</th>
            <th class="num">Compressed</th>
            <th class="num">Init · duration</th>
            <th>Reason</th>
            {props.formToken ? <th>Action</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.items.map((d) => {
            const mark = marks.get(d.id);
            const collected = imageCollectedAt(d);
            return (
              <tr>
                <td data-label="When" class="when">
                  <a href={`/deployments/${d.id}`}>{formatTime(d.createdAt).replace(' UTC', '')}</a>
                </td>
                <td data-label="Status">
                  <StatusBadge status={d.status} />
                  {mark ? (
                    <>
                      {' '}
                      <span class={`mark ${mark.kind}`}>{markText(mark)}</span>
                    </>
                  ) : null}
                </td>
                <td class="num" data-label="Version">
                  {d.release?.version ?? '-'}
                </td>
                <td class="trigger" data-label="Trigger">
                  {d.trigger?.kind ?? '-'}
                  {d.trigger?.actor ? <div class="who">{d.trigger.actor}</div> : null}
                </td>
                <td data-label="Digest">
                  <code title={d.release?.digest ?? ''}>{shortDigest(d.release?.digest)}</code>
                  {collected ? (
                    <div class="collected">
                      image {collectedWord(d)} {formatTime(collected)}
                    </div>
                  ) : null}
                </td>
                <td class="num" data-label="Compressed">
                  {formatBytes(d.scan?.compressedBytes)}
                  {d.scan ? <div class="muted">{layersOf(d.scan.layerCount)}</div> : null}
                </td>
                <td class="num" data-label="Init · duration">
                  {d.smoke
                    ? `${formatMs(d.smoke.initDurationMs)} · ${formatMs(d.smoke.durationMs)}`
                    : '-'}
                </td>
                <td class="reasons" data-label="Reason">
                  <Reasons d={d} />
                </td>
                {props.formToken ? (
                  <td data-label="Action">
                    <RollbackTo
                      name={props.name}
                      d={d}
                      live={props.live}
                      formToken={props.formToken}
                    />
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
