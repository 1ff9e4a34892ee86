import { type NumberedLogEvent, pageOf } from '../../services/core/log-page.ts';
import type {
  FunctionLogEvent,
  FunctionLogPage,
  FunctionLogQuery,
  FunctionLogs,
} from '../../services/core/ports.ts';

/**
 * In-memory FunctionLogs, checked by the same contract suite as the local log store and the
 * CloudWatch adapter (test/contracts/function-logs.contract.ts). Faults are injected by wrapping
 * it, so it has no failure modes of its own.
 */
export class FakeFunctionLogs implements FunctionLogs {
  private readonly byFunction = new Map<string, NumberedLogEvent[]>();
  private written = 0;

  /** Adds lines as a function wrote them at `at`, in order. */
  write(
    functionName: string,
    at: Date,
    lines: readonly Omit<FunctionLogEvent, 'timestamp'>[],
  ): void {
    const events = this.byFunction.get(functionName) ?? [];
    for (const line of lines) {
      const event = { timestamp: at.toISOString(), ...line };
      events.push({ seq: ++this.written, at: at.getTime(), event });
    }
    this.byFunction.set(functionName, events);
  }

  async read(functionName: string, query: FunctionLogQuery): Promise<FunctionLogPage> {
    const all = this.byFunction.get(functionName) ?? [];
    const events = all.filter(
      (e) => query.version === undefined || e.event.version === query.version,
    );
    return pageOf(events, query, all.at(-1)?.seq ?? 0);
  }
}
