/**
 * A real EventBridge pattern matcher for tests: moto's (`moto.events.models.EventPattern`, the
 * engine behind moto's EventBridge emulation), run in one python3 process per call. moto 5.2.1
 * ships in the Python of every machine of this project's kind. No npm package implementing
 * EventBridge matching is served by the registry here; swap this one function if one appears.
 */
import { execFileSync } from 'node:child_process';

const SCRIPT = `
import json, sys
from moto.events.models import EventPattern
request = json.load(sys.stdin)
pattern = EventPattern.load(json.dumps(request["pattern"]))
print(json.dumps([pattern.matches_event(event) for event in request["events"]]))
`;

/** Whether each event matches the pattern, as EventBridge would decide (moto's engine). */
export function matchEventPattern(pattern: unknown, events: readonly unknown[]): boolean[] {
  let output: string;
  try {
    output = execFileSync('python3', ['-c', SCRIPT], {
      input: JSON.stringify({ pattern, events }),
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 30_000,
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new Error(
      `the EventBridge matcher (python3 + moto) failed: ${stderr.trim().split('\n').at(-1)}. Fix: python3 -m pip install moto==5.2.1`,
    );
  }
  return JSON.parse(output) as boolean[];
}
