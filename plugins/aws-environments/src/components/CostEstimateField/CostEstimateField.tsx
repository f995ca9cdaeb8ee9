import { useEffect, useMemo, useState } from 'react';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  CostEstimateRequest,
  CostEstimateResponse,
  CostRange,
  EnvironmentCostResult,
} from '@envplane/plugin-aws-environments-common';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import Alert from '@material-ui/lab/Alert';
import { awsEnvironmentsApiRef } from '../../api';

/** Waits for the person to stop typing a count before asking again. */
export const COST_ESTIMATE_DEBOUNCE_MS = 400;

const COUNT_FIELDS = ['desiredCount', 'minCapacity', 'maxCapacity'] as const;
const SIZE_FIELDS = ['taskCpu', 'taskMemory'] as const;

/**
 * The estimate request from the wizard's values, in the provision action's
 * names. Fields the form has not filled are left out, so the backend
 * applies the action's defaults; undefined when no environment is chosen.
 */
export function costRequestFromForm(
  formData: Record<string, unknown> | undefined,
): CostEstimateRequest | undefined {
  const data = formData ?? {};
  const environments = Array.isArray(data.environments)
    ? data.environments.filter((e): e is string => typeof e === 'string')
    : [];
  if (environments.length === 0) return undefined;
  const request: CostEstimateRequest = { environments };
  for (const key of [...COUNT_FIELDS, ...SIZE_FIELDS]) {
    const value = data[key];
    if (typeof value === 'number' && Number.isFinite(value)) {
      request[key] = value;
    }
  }
  if (typeof data.loadBalancer === 'boolean') {
    request.loadBalancer = data.loadBalancer;
  }
  return request;
}

const usd = (n: number) =>
  `$${n.toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  })}`;

function range(r: CostRange): string {
  return r.low === r.high
    ? `≈ ${usd(r.low)}`
    : `≈ ${usd(r.low)} – ${usd(r.high)}`;
}

function errorText(error: unknown): string {
  if (error instanceof ResponseError) {
    return error.body?.error?.message ?? error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

type State =
  | { kind: 'idle' }
  | { kind: 'loading'; last?: CostEstimateResponse }
  | { kind: 'done'; estimate: CostEstimateResponse }
  | { kind: 'failed'; message: string };

function EnvironmentRow({ result }: { result: EnvironmentCostResult }) {
  const s = result.settings;
  return (
    <TableRow>
      <TableCell>
        {result.title ?? result.environment}
        <Typography variant="caption" display="block" color="textSecondary">
          {result.region}
        </Typography>
      </TableCell>
      {result.estimate && s ? (
        <>
          <TableCell>
            {range(result.estimate.monthly)}
            <Typography variant="caption" display="block" color="textSecondary">
              {s.minCapacity} to {s.maxCapacity} tasks all month
            </Typography>
          </TableCell>
          <TableCell>
            ≈ {usd(result.monthlyAtDesired ?? 0)}
            <Typography variant="caption" display="block" color="textSecondary">
              {s.desiredCount} {s.desiredCount === 1 ? 'task' : 'tasks'}
            </Typography>
          </TableCell>
        </>
      ) : (
        <TableCell colSpan={2}>
          <Typography variant="body2" color="error">
            No estimate: {result.error}
          </Typography>
        </TableCell>
      )}
    </TableRow>
  );
}

function Details({ estimate }: { estimate: CostEstimateResponse }) {
  const priced = estimate.environments.find(e => e.estimate)?.estimate;
  if (!priced) return null;
  const a = estimate.assumptions;
  return (
    <Accordion>
      <AccordionSummary expandIcon={<ExpandMoreIcon />}>
        <Typography variant="body2">
          What is priced, and what the estimate assumes
        </Typography>
      </AccordionSummary>
      <AccordionDetails>
        <Box>
          <Typography variant="body2" paragraph>
            Assumed: {a.hoursPerMonth} hours a month; {a.natDataGbPerMonth} GB a
            month through the NAT gateways; {a.logGbPerTaskMonth} GB of logs per
            task a month, kept {a.logRetentionDays} days;{' '}
            {a.loadBalancerLcuPerHour} load balancer capacity unit an hour.
          </Typography>
          <Typography variant="subtitle2">
            Lines of {priced.region} (each an estimate)
          </Typography>
          <ul>
            {priced.lineItems.map(line => (
              <li key={line.id}>
                <Typography variant="body2">
                  {line.title}: {range(line.monthly)} a month.{' '}
                  {line.description}; assumes {line.assumptions.join(', ')}.
                </Typography>
              </li>
            ))}
          </ul>
          <Typography variant="subtitle2">Not priced</Typography>
          <ul>
            {priced.excluded.map(item => (
              <li key={item.item}>
                <Typography variant="body2">
                  {item.item}: {item.reason}
                </Typography>
              </li>
            ))}
          </ul>
        </Box>
      </AccordionDetails>
    </Accordion>
  );
}

/**
 * The wizard's cost estimate: reads the environments, counts, task size
 * and load balancer choice from the form's other values and shows what
 * they would cost a month, asking again whenever they change. It stores
 * no value of its own.
 */
export function CostEstimateField(
  props: FieldExtensionComponentProps<unknown>,
) {
  const api = useApi(awsEnvironmentsApiRef);
  const formData = props.formContext?.formData as
    | Record<string, unknown>
    | undefined;
  const request = useMemo(() => costRequestFromForm(formData), [formData]);
  // A stable key: the form hands over a new object on every change.
  const key = request ? JSON.stringify(request) : '';
  const [state, setState] = useState<State>({ kind: 'idle' });

  useEffect(() => {
    if (!key) {
      setState({ kind: 'idle' });
      return undefined;
    }
    let current = true;
    setState(previous => ({
      kind: 'loading',
      last: previous.kind === 'done' ? previous.estimate : undefined,
    }));
    const timer = setTimeout(() => {
      api.estimateCost(JSON.parse(key)).then(
        estimate => current && setState({ kind: 'done', estimate }),
        error =>
          current && setState({ kind: 'failed', message: errorText(error) }),
      );
    }, COST_ESTIMATE_DEBOUNCE_MS);
    // A later change wins: the answer to an older request is dropped.
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, key]);

  const title = props.schema?.title ?? 'Estimated monthly cost';
  // While a new estimate loads, the last one stays on screen.
  let shown;
  if (state.kind === 'done') shown = state.estimate;
  else if (state.kind === 'loading') shown = state.last;

  return (
    <Box mb={2}>
      <Typography variant="h6">{title}</Typography>
      {state.kind === 'idle' && (
        <Typography variant="body2" color="textSecondary">
          Select at least one environment to see the estimate.
        </Typography>
      )}
      {state.kind === 'failed' && (
        <Alert severity="warning">
          The cost estimate could not be read: {state.message}. You can still
          create the environments.
        </Alert>
      )}
      {state.kind === 'loading' && !shown && <Progress />}
      {shown && (
        <Box aria-busy={state.kind === 'loading'}>
          <Table
            size="small"
            aria-label="Estimated monthly cost per environment"
          >
            <TableHead>
              <TableRow>
                <TableCell>Environment</TableCell>
                <TableCell>Estimate a month (fewest to most tasks)</TableCell>
                <TableCell>Estimate a month at the tasks at start</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {shown.environments.map(result => (
                <EnvironmentRow key={result.environment} result={result} />
              ))}
              <TableRow>
                <TableCell>
                  <strong>Total</strong>
                </TableCell>
                <TableCell>
                  <strong>{range(shown.total.monthly)}</strong>
                  {!shown.total.complete && (
                    <Typography variant="caption" display="block">
                      without the environments that have no estimate
                    </Typography>
                  )}
                </TableCell>
                <TableCell>
                  <strong>≈ {usd(shown.total.monthlyAtDesired)}</strong>
                </TableCell>
              </TableRow>
            </TableBody>
          </Table>
          <Typography variant="caption" display="block" color="textSecondary">
            Every figure is an estimate in USD, priced with AWS on-demand list
            prices published {shown.priceDate?.slice(0, 10) ?? '(unknown)'}.{' '}
            {shown.disclaimer}
          </Typography>
          <Details estimate={shown} />
        </Box>
      )}
    </Box>
  );
}
