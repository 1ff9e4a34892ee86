/** The deployment id of a worker event, read before parsing (every Task passes it at the top). */
export function deploymentIdOf(event: unknown): string | undefined {
  const id = (event as { deploymentId?: unknown } | null)?.deploymentId;
  return typeof id === 'string' ? id : undefined;
}
