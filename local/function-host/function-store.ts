/**
 * Lambda's function model for the local host — functions, $LATEST, immutable numbered versions,
 * aliases with their weighted routing, and revision ids — persisted as one JSON file under the
 * state directory. Every
 * mutation is written atomically before it returns, so a restarted host sees exactly what the
 * last caller was told. One host process owns a state directory (single writer).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { checkAliasRouting, routedVersion } from '../../services/core/alias-routing.ts';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../services/core/errors.ts';
import type { AliasRouting } from '../../services/core/ports.ts';
import { readJson, writeJsonAtomic } from './atomic-json.ts';
import {
  applyConfiguration,
  type ConfigurationChange,
  configurationOf,
  DEFAULT_CONFIGURATION,
  type FunctionConfiguration,
} from './function-config.ts';
import {
  type AliasRecord,
  type CreateFunctionOptions,
  codeOf,
  type LatestRecord,
  type LocalFunctionRecord,
  type Resolved,
  type VersionRecord,
} from './function-model.ts';

interface StateFile {
  /** 1: an alias was its version's number; 2: an alias is an AliasRecord. */
  readonly schemaVersion: 1 | 2;
  readonly functions: Record<string, LocalFunctionRecord>;
}

/**
 * A function as read from either schema: version 1 stored an alias as its version's number.
 * State from before configurations were kept lacks environment and ephemeral storage (and
 * versions lack their frozen configuration): what was stored is kept, the rest gets Lambda's
 * defaults, and a version without one runs with what the function had.
 */
function upgraded(fn: LocalFunctionRecord): LocalFunctionRecord {
  const aliases: Record<string, AliasRecord> = {};
  for (const [name, alias] of Object.entries(fn.aliases as Record<string, AliasRecord | string>)) {
    aliases[name] =
      typeof alias === 'string'
        ? { version: alias, additional: null, revisionId: randomUUID() }
        : alias;
  }
  const configuration = configurationOf(fn);
  const versions: Record<string, VersionRecord> = {};
  for (const [number, version] of Object.entries(fn.versions)) {
    const stored = (version as Partial<VersionRecord>).configuration;
    versions[number] = {
      ...version,
      configuration: stored ? configurationOf(stored) : configuration,
    };
  }
  return { ...fn, ...configuration, aliases, versions };
}

/** $LATEST's configuration fields of a record. */
const latestConfiguration = (fn: LocalFunctionRecord): FunctionConfiguration => configurationOf(fn);

/** The persisted function model (see module doc). */
export class FunctionStore {
  private writes: Promise<void> = Promise.resolve();
  private lastStamp = 0;

  private constructor(
    private readonly file: string,
    private readonly functions: Record<string, LocalFunctionRecord>,
  ) {}

  /** Loads `<stateDir>/functions.json` (empty when absent). */
  static async open(stateDir: string): Promise<FunctionStore> {
    const file = join(stateDir, 'functions.json');
    const state = await readJson<StateFile>(file, { schemaVersion: 2, functions: {} });
    const functions: Record<string, LocalFunctionRecord> = {};
    for (const [name, fn] of Object.entries(state.functions)) functions[name] = upgraded(fn);
    return new FunctionStore(file, functions);
  }

  /** Every function, by name. */
  list(): LocalFunctionRecord[] {
    return Object.values(this.functions);
  }

  /** The function; NotFoundError when absent. */
  get(name: string): LocalFunctionRecord {
    const fn = Object.hasOwn(this.functions, name) ? this.functions[name] : undefined;
    if (!fn) throw new NotFoundError(`function ${name} not found`);
    return fn;
  }

  /**
   * What `qualifier` (alias, version or $LATEST) names — an alias's primary version, as
   * GetFunction reports it; NotFoundError when it names nothing. With a draw `u` in [0, 1), a
   * weighted alias resolves to the version that one invocation runs instead.
   */
  resolve(name: string, qualifier = '$LATEST', u?: number): Resolved {
    const fn = this.get(name);
    const alias = this.alias(name, qualifier);
    const version = alias ? (u === undefined ? alias.version : routedVersion(alias, u)) : qualifier;
    const code =
      version === '$LATEST'
        ? fn.latest
        : Object.hasOwn(fn.versions, version) && fn.versions[version];
    if (!code) throw new NotFoundError(`function ${name}:${qualifier} not found`);
    const configuration = 'configuration' in code ? code.configuration : latestConfiguration(fn);
    return alias
      ? { fn, version, code, configuration, alias: qualifier }
      : { fn, version, code, configuration };
  }

  /** A published version; NotFoundError when the function or the version does not exist. */
  version(name: string, version: string): VersionRecord {
    const { versions } = this.get(name);
    const record = Object.hasOwn(versions, version) ? versions[version] : undefined;
    if (!record) {
      throw new NotFoundError(`function ${name}:${version} not found (not a published version)`);
    }
    return record;
  }

  /** The alias's record, or null when the function has no such alias. */
  alias(name: string, alias: string): AliasRecord | null {
    const { aliases } = this.get(name);
    return Object.hasOwn(aliases, alias) ? (aliases[alias] ?? null) : null;
  }

  /** Creates a function on a pinned image, published as version 1 (behind `alias`). */
  async create(name: string, imageUri: string, options: CreateFunctionOptions = {}) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
      throw new InvalidRequestError(`function name "${name}" must be 1-64 of [A-Za-z0-9_-]`);
    }
    if (Object.hasOwn(this.functions, name)) throw new ConflictError(`function ${name} exists`);
    const { alias: aliasOption, ...change } = options;
    const configuration = applyConfiguration(DEFAULT_CONFIGURATION, change);
    const code = codeOf(imageUri);
    const alias = aliasOption === undefined ? 'live' : aliasOption;
    const now = this.stamp();
    return this.put({
      name,
      packageType: 'Image',
      ...configuration,
      latest: { ...code, revisionId: randomUUID(), lastUpdateStatus: 'Successful' },
      versions: { '1': { ...code, revisionId: randomUUID(), configuration, publishedAt: now } },
      aliases:
        alias === null
          ? {}
          : { [alias]: { version: '1', additional: null, revisionId: randomUUID() } },
      nextVersion: 2,
      lastModified: now,
    });
  }

  /** Now, strictly after the previous stamp: two changes in one millisecond keep their order. */
  private stamp(): string {
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
    return new Date(this.lastStamp).toISOString();
  }

  /** Points $LATEST at `imageUri` (InProgress) if it is still at `revisionId`. */
  async updateLatest(name: string, imageUri: string, revisionId?: string) {
    const fn = this.get(name);
    const code = codeOf(imageUri);
    if (revisionId && fn.latest.revisionId !== revisionId) {
      throw new ConflictError(
        `function ${name} changed: revision ${fn.latest.revisionId}, expected ${revisionId}`,
      );
    }
    const latest: LatestRecord = {
      ...code,
      revisionId: randomUUID(),
      lastUpdateStatus: 'InProgress',
    };
    return this.put({ ...fn, latest, lastModified: this.stamp() });
  }

  /**
   * UpdateFunctionConfiguration on $LATEST: applies `change` (checked first: a bad value
   * changes nothing) if $LATEST is still at `revisionId`, with a new revision id. Published
   * versions keep the configuration they were published with. Applied at once here, so the
   * update is Successful when this returns.
   */
  async updateConfiguration(name: string, change: ConfigurationChange, revisionId?: string) {
    const fn = this.get(name);
    const configuration = applyConfiguration(latestConfiguration(fn), change);
    if (revisionId && fn.latest.revisionId !== revisionId) {
      throw new ConflictError(
        `function ${name} changed: revision ${fn.latest.revisionId}, expected ${revisionId}`,
      );
    }
    if (fn.latest.lastUpdateStatus === 'InProgress') {
      throw new ConflictError(
        `function ${name} has an update in progress: wait until its LastUpdateStatus is Successful`,
      );
    }
    const latest: LatestRecord = {
      imageUri: fn.latest.imageUri,
      codeSha256: fn.latest.codeSha256,
      revisionId: randomUUID(),
      lastUpdateStatus: 'Successful',
    };
    return this.put({ ...fn, ...configuration, latest, lastModified: this.stamp() });
  }

  /** Ends the update that produced `revisionId`; a no-op when a newer update replaced it. */
  async finishUpdate(
    name: string,
    revisionId: string,
    status: 'Successful' | 'Failed',
    reason?: string,
  ) {
    const fn = this.get(name);
    if (fn.latest.revisionId !== revisionId) return fn;
    const latest: LatestRecord = {
      ...fn.latest,
      lastUpdateStatus: status,
      ...(reason ? { lastUpdateStatusReason: reason } : {}),
    };
    return this.put({ ...fn, latest });
  }

  /**
   * Publishes $LATEST if it still has `codeSha256` (and `revisionId`) and its update succeeded.
   * Like Lambda, returns the newest version unchanged when $LATEST has not changed since.
   */
  async publish(name: string, codeSha256: string, revisionId?: string): Promise<string> {
    const fn = this.get(name);
    if (
      fn.latest.codeSha256 !== codeSha256 ||
      (revisionId && fn.latest.revisionId !== revisionId)
    ) {
      throw new ConflictError(`function ${name} changed before publish`);
    }
    if (fn.latest.lastUpdateStatus !== 'Successful') {
      throw new ConflictError(`function ${name} update is ${fn.latest.lastUpdateStatus}`);
    }
    const newest = String(fn.nextVersion - 1);
    const configuration = latestConfiguration(fn);
    const previous = fn.versions[newest];
    // Lambda publishes a new version when the code or the configuration changed since the last.
    if (
      previous?.imageUri === fn.latest.imageUri &&
      JSON.stringify(previous.configuration) === JSON.stringify(configuration)
    ) {
      return newest;
    }
    const version = String(fn.nextVersion);
    const { imageUri } = fn.latest;
    const record: VersionRecord = {
      imageUri,
      codeSha256,
      revisionId: randomUUID(),
      configuration,
      publishedAt: this.stamp(),
    };
    await this.put({
      ...fn,
      versions: { ...fn.versions, [version]: record },
      latest: { ...fn.latest, revisionId: randomUUID() },
      nextVersion: fn.nextVersion + 1,
    });
    return version;
  }

  /** Points `alias` at a published version alone (any split ends), creating the alias when missing. */
  async setAlias(name: string, alias: string, version: string) {
    return this.writeAlias(name, alias, { version, additional: null });
  }

  /**
   * Sets the alias's routing (alias-routing.ts's rules), creating the alias when missing —
   * unless `revisionId` is given: then only while the alias is at that revision.
   */
  async setAliasRouting(name: string, alias: string, routing: AliasRouting, revisionId?: string) {
    checkAliasRouting(name, alias, routing);
    return this.writeAlias(name, alias, routing, revisionId);
  }

  private async writeAlias(
    name: string,
    alias: string,
    routing: AliasRouting,
    revisionId?: string,
  ) {
    const fn = this.get(name);
    for (const version of [routing.version, routing.additional?.version]) {
      if (version !== undefined && !Object.hasOwn(fn.versions, version)) {
        throw new NotFoundError(`function ${name}:${version} not found`);
      }
    }
    if (/^[0-9]+$/.test(alias) || alias === '$LATEST') {
      throw new InvalidRequestError(`alias name "${alias}" may not be a version or $LATEST`);
    }
    const current = this.alias(name, alias);
    if (revisionId !== undefined && current === null) {
      throw new NotFoundError(`alias ${name}:${alias} not found`);
    }
    if (revisionId !== undefined && current?.revisionId !== revisionId) {
      throw new ConflictError(
        `alias ${name}:${alias} changed: revision ${current?.revisionId}, expected ${revisionId}`,
      );
    }
    const record: AliasRecord = {
      version: routing.version,
      additional: routing.additional && { ...routing.additional },
      revisionId: randomUUID(),
    };
    return this.put({ ...fn, aliases: { ...fn.aliases, [alias]: record } });
  }

  /**
   * Records the provisioned concurrency asked for on a published version (null: none);
   * NotFoundError when the function or version does not exist.
   */
  async setProvisionedConcurrency(name: string, version: string, count: number | null) {
    this.version(name, version);
    const fn = this.get(name);
    const { [version]: _dropped, ...others } = fn.provisionedConcurrency ?? {};
    const provisionedConcurrency = count === null ? others : { ...others, [version]: count };
    return this.put({ ...fn, provisionedConcurrency });
  }

  /**
   * Lambda's DeleteFunction with a version Qualifier: NotFoundError when the function or version
   * does not exist; InvalidRequestError for $LATEST (only deleting the function removes it);
   * ConflictError while an alias routes to the version or it has provisioned concurrency.
   */
  async deleteVersion(name: string, version: string): Promise<VersionRecord> {
    if (version === '$LATEST') {
      throw new InvalidRequestError(
        '$LATEST version cannot be deleted without deleting the function',
      );
    }
    const record = this.version(name, version);
    const fn = this.get(name);
    const routing = Object.entries(fn.aliases).find(
      ([, a]) => a.version === version || a.additional?.version === version,
    );
    if (routing) {
      throw new ConflictError(
        `Unable to delete version because the following aliases reference it: [${routing[0]}]`,
      );
    }
    if (fn.provisionedConcurrency?.[version] !== undefined) {
      throw new ConflictError(
        `version ${version} of ${name} has provisioned concurrency: delete that configuration first`,
      );
    }
    const { [version]: _deleted, ...versions } = fn.versions;
    await this.put({ ...fn, versions });
    return record;
  }

  /** Replaces one record and persists the whole model; writes are serialized. */
  private async put(fn: LocalFunctionRecord): Promise<LocalFunctionRecord> {
    this.functions[fn.name] = fn;
    const snapshot: StateFile = { schemaVersion: 2, functions: { ...this.functions } };
    const write = this.writes.then(() => writeJsonAtomic(this.file, snapshot));
    this.writes = write.catch(() => {});
    await write;
    return fn;
  }
}
