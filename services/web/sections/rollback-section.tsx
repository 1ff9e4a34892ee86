/**
 * The function page's rollback: a form that releases the previous good release again (the one
 * the rollback use case picks, named on the button), the use case's reason when there is none,
 * or the CLI command for a viewer without a session (no forms).
 */
import { formatTime, shortDigest } from '../format.ts';
import { FormToken } from '../layout.tsx';
import type { RollbackChoice } from '../rollback-choice.ts';

/** Properties of {@link RollbackSection}. */
export interface RollbackSectionProps {
  readonly name: string;
  readonly choice: RollbackChoice | null;
  readonly formToken: string | null;
}

/** The rollback section; nothing when no choice was read. */
export function RollbackSection(props: RollbackSectionProps) {
  const { choice, name } = props;
  if (!choice) return null;
  if (choice.kind === 'none') {
    return (
      <>
        <h2>Roll back</h2>
        <p class="muted" id="rollback">
          {choice.reason}
        </p>
      </>
    );
  }
  const t = choice.target;
  const what = `version ${t.release?.version ?? '?'} (${shortDigest(t.release?.digest)}, released ${formatTime(t.endedAt ?? t.createdAt)})`;
  return (
    <>
      <h2>Roll back</h2>
      <div id="rollback">
        {props.formToken ? (
          <form method="post" action={`/functions/${encodeURIComponent(name)}/rollback`}>
            <FormToken token={props.formToken} />
            <input type="hidden" name="to" value={t.id} />
            <p>
              The previous release is {what}. A rollback deploys it again through the whole workflow
              (smoke included).
            </p>
            <button type="submit" class="danger">
              Roll back {name} to version {t.release?.version ?? '?'}
            </button>
          </form>
        ) : (
          <p>
            The previous release is {what}: <code>ferry rollback {name}</code>
          </p>
        )}
      </div>
    </>
  );
}
