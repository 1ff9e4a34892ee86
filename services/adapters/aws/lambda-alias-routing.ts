/**
 * Ferry's alias routing in Lambda's terms: FunctionVersion plus RoutingConfig's
 * AdditionalVersionWeights (a map that Lambda allows at most one entry in).
 */
import type { AliasConfiguration, AliasRoutingConfiguration } from '@aws-sdk/client-lambda';
import type { AliasRouting, AliasState } from '../../core/ports.ts';

/** The RoutingConfig for `routing`; an empty map (not an absent one) clears a previous split. */
export function routingConfigOf(routing: AliasRouting): AliasRoutingConfiguration {
  const { additional } = routing;
  return {
    AdditionalVersionWeights: additional ? { [additional.version]: additional.weight } : {},
  };
}

/** The port's alias state from GetAlias's answer (a missing or empty weight map: no split). */
export function aliasStateOf(alias: AliasConfiguration): AliasState {
  // Lambda keeps at most one additional version, so the first entry is the only one.
  const [entry] = Object.entries(alias.RoutingConfig?.AdditionalVersionWeights ?? {});
  return {
    version: alias.FunctionVersion ?? '',
    additional: entry ? { version: entry[0], weight: entry[1] } : null,
    revisionId: alias.RevisionId ?? '',
  };
}

/** `6`, or `6 + 7 at 25%`, for error messages. */
export function describeRouting(routing: AliasRouting): string {
  const { version, additional } = routing;
  return additional
    ? `${version} + ${additional.version} at ${+(additional.weight * 100).toFixed(4)}%`
    : version;
}
