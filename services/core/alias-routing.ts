/**
 * The rules for an alias's routing that every Functions implementation applies before it
 * writes one, and the draw that picks which version an alias invocation runs. Pure.
 */
import { InvalidRequestError } from './errors.ts';
import type { AliasRouting } from './ports.ts';

const VERSION = /^[0-9]+$/;

/**
 * Throws InvalidRequestError unless `routing` may be written: published versions only (Lambda
 * refuses $LATEST in a weighted alias), an additional version other than the primary, and a
 * weight in [0, 1). Lambda itself accepts 1.0; Ferry does not, so that 100% on one version has
 * one spelling — setAlias — and the version that gets everything is always the primary.
 */
export function checkAliasRouting(name: string, alias: string, routing: AliasRouting): void {
  const at = `alias ${name}:${alias}`;
  if (!VERSION.test(routing.version)) {
    throw new InvalidRequestError(
      `${at}: version "${routing.version}" is not a published version number`,
    );
  }
  const { additional } = routing;
  if (additional === null) return;
  if (!VERSION.test(additional.version)) {
    throw new InvalidRequestError(
      `${at}: additional version "${additional.version}" is not a published version number`,
    );
  }
  if (additional.version === routing.version) {
    throw new InvalidRequestError(
      `${at}: additional version ${additional.version} is the primary version; use setAlias for 100% on one version`,
    );
  }
  const { weight } = additional;
  if (!Number.isFinite(weight) || weight < 0 || weight >= 1) {
    throw new InvalidRequestError(
      `${at}: weight ${weight} for version ${additional.version} must be in [0, 1); use setAlias for 100% on one version`,
    );
  }
}

/** The version one invocation runs, given a uniform draw `u` in [0, 1). */
export function routedVersion(routing: AliasRouting, u: number): string {
  const { additional } = routing;
  return additional !== null && u < additional.weight ? additional.version : routing.version;
}
