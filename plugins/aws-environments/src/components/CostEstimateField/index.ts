export {
  CostEstimateField,
  costRequestFromForm,
  COST_ESTIMATE_DEBOUNCE_MS,
} from './CostEstimateField';
export { COST_ESTIMATE_FIELD_NAME } from './name';
