/**
 * The `ui:field` name of the wizard's cost estimate, the same in both
 * frontend systems.
 */
export const COST_ESTIMATE_FIELD_NAME = 'AwsEnvironmentsCostEstimate';
