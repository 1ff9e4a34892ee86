/** One profile's key pair from an AWS shared-credentials file (INI), or null when absent. */
export function profileCredentials(
  text: string,
  profile: string,
): { accessKeyId: string; secretAccessKey: string } | null {
  let current: string | null = null;
  const found: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) current = section[1]?.trim() ?? null;
    const pair = /^([a-z_]+)\s*=\s*(\S+)$/.exec(line);
    if (current === profile && pair?.[1] && pair[2]) found[pair[1]] = pair[2];
  }
  const { aws_access_key_id: accessKeyId, aws_secret_access_key: secretAccessKey } = found;
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : null;
}
