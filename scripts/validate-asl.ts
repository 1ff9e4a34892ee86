/**
 * `npm run validate:asl`: fills the deploy workflow's placeholders from the same map the stack
 * uses and validates the result with asl-validator (schema, transitions, terminal states, paths, ARNs).
 */
import { createRequire } from 'node:module';
import {
  DEPLOY_ASL_PATH,
  deploySubstitutions,
  exampleSubstitutionInputs,
  loadDeployDefinition,
} from '../statemachine/substitutions.ts';

const require = createRequire(import.meta.url);
// asl-validator ships CommonJS without types.
const validate = require('asl-validator') as (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };

const definition = loadDeployDefinition(deploySubstitutions(exampleSubstitutionInputs()));
const result = validate(definition, { checkPaths: true, checkArn: true });
if (!result.isValid) {
  console.error(`${DEPLOY_ASL_PATH} is invalid:\n${result.errorsText('\n')}`);
  process.exit(1);
}
const states = Object.keys(definition.States as object).length;
console.log(`asl-validator: ${DEPLOY_ASL_PATH} is valid (${states} states)`);
