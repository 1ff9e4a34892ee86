/** The demo's load generator: steady calls through a function's live alias while canaries run. */
import type { hostFetch } from './function-host/signed-fetch.ts';

/** Invokes `fn`'s live alias in a loop (two callers) until stopped; counts calls and failures. */
export function loadAlias(hostUrl: string, fn: string, send: ReturnType<typeof hostFetch>) {
  let running = true;
  let total = 0;
  let failed = 0;
  const caller = async () => {
    while (running) {
      const res = await send(`${hostUrl}/2015-03-31/functions/${fn}:live/invocations`, {
        method: 'POST',
        body: '{}',
      }).catch(() => null);
      if (res) {
        await res.arrayBuffer();
        total += 1;
        if (res.headers.has('x-amz-function-error')) failed += 1;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const callers = [caller(), caller()];
  return {
    async stop() {
      running = false;
      await Promise.all(callers);
      return { total, failed };
    },
  };
}
