import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { CostEstimateField } from './CostEstimateField';
import { COST_ESTIMATE_FIELD_NAME } from './name';

/** The field for the new frontend system's scaffolder (see `alpha.tsx`). */
export const costEstimateFormField = createFormField({
  name: COST_ESTIMATE_FIELD_NAME,
  component: CostEstimateField,
});
