/**
 * The invokes of a batch of cold-start samples that ran. One that failed to run (throttled, say)
 * is one sample fewer, not a failed batch; only a batch in which none ran fails, with the
 * first reason.
 */
export async function settledSamples<T>(samples: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(samples);
  const ran = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = settled.find((s) => s.status === 'rejected');
  if (ran.length === 0 && failed) throw failed.reason;
  return ran;
}
