import http from 'node:http';

/** Sends GETs to `url` from `connections` keep-alive connections for `seconds`; returns requests/s. */
export async function requestsPerSecond(
  url: string,
  headers: Record<string, string>,
  seconds = 3,
  connections = 16,
) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const deadline = Date.now() + seconds * 1000;
  let done = 0;
  let failed = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const req = http.get(url, { agent, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) done += 1;
          else failed += 1;
          resolve();
        });
      });
      req.on('error', () => {
        failed += 1;
        resolve();
      });
    });
  const started = Date.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < deadline) await one();
    }),
  );
  agent.destroy();
  const elapsed = (Date.now() - started) / 1000;
  return { rps: done / elapsed, failed };
}
