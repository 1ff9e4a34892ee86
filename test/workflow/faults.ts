/**
 * Fault injection at the port boundary: wraps a world's ports so that a chosen call (by step,
 * port, method and occurrence) throws the error a real adapter would, once. Also records every
 * port call each step makes, which is how the fault matrix enumerates its cells.
 */
import { AccessDeniedError, ConflictError, TransientError } from '../../services/core/errors.ts';
import type { WorkerStep } from '../../services/core/steps.ts';
import type { WorkerDeps } from '../../services/workers/deps.ts';

/** The faults every port call is tried with. */
export const FAULT_KINDS = ['transient', 'denied', 'conflict', 'timeout'] as const;
/** A kind of injected fault. */
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The ports a worker reaches through its deps. */
const PORTS = [
  'store',
  'registry',
  'functions',
  'notifier',
  'claims',
  'versionHealth',
  'alarms',
  'callbacks',
] as const;
type PortName = (typeof PORTS)[number];

/** One port call, identified by where it happens. */
export interface CallSite {
  readonly step: WorkerStep;
  readonly port: PortName;
  readonly method: string;
  /** 1 for the step's first call of this method in the run, 2 for the second… */
  readonly occurrence: number;
}

/** A fault to inject at a call site. */
export interface Fault extends CallSite {
  readonly kind: FaultKind;
}

/** The error a real adapter raises for each fault kind. */
export function faultError(kind: FaultKind, site: CallSite): Error {
  const where = `${site.port}.${site.method} in ${site.step}`;
  switch (kind) {
    case 'transient':
      return new TransientError(`injected throttling at ${where}`);
    case 'denied':
      return new AccessDeniedError(`injected access denied at ${where}`);
    case 'conflict':
      return new ConflictError(`injected conflict at ${where}`);
    case 'timeout': {
      // What Step Functions raises when a Task outlives its TimeoutSeconds.
      const error = new Error(`injected task timeout at ${where}`);
      error.name = 'States.Timeout';
      return error;
    }
  }
}

/** Records port calls per step and throws the planned faults, each once. */
export class FaultInjector {
  readonly calls: CallSite[] = [];
  readonly fired: Fault[] = [];
  private readonly counts = new Map<string, number>();

  constructor(private readonly faults: readonly Fault[] = []) {}

  /** Per-step deps whose ports record calls and inject the planned faults. */
  depsFor(base: WorkerDeps): (step: WorkerStep) => WorkerDeps {
    return (step) => {
      const wrapped: Record<string, unknown> = { ...base };
      for (const port of PORTS) wrapped[port] = this.wrap(step, port, base[port] as object);
      return wrapped as unknown as WorkerDeps;
    };
  }

  private wrap<T extends object>(step: WorkerStep, port: PortName, target: T): T {
    return new Proxy(target, {
      get: (obj, prop, receiver) => {
        const value = Reflect.get(obj, prop, receiver);
        if (typeof value !== 'function' || typeof prop !== 'string') return value;
        return (...args: unknown[]) => {
          const key = `${step}/${port}/${prop}`;
          const occurrence = (this.counts.get(key) ?? 0) + 1;
          this.counts.set(key, occurrence);
          const site = { step, port, method: prop, occurrence };
          this.calls.push(site);
          const fault = this.faults.find(
            (f) =>
              f.step === step &&
              f.port === port &&
              f.method === prop &&
              f.occurrence === occurrence,
          );
          if (fault) {
            this.fired.push(fault);
            return Promise.reject(faultError(fault.kind, site));
          }
          return (value as (...a: unknown[]) => unknown).apply(obj, args);
        };
      },
    });
  }
}
