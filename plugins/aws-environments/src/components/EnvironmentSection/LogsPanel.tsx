import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { StatusRange } from '@envplane/plugin-aws-environments-common';
import { awsEnvironmentsApiRef } from '../../api';
import { LogsList } from './LogsList';
import { SourceErrors } from './SourceErrors';

function Logs(props: {
  entity: CompoundEntityRef;
  environment: string;
  range: StatusRange;
}) {
  const api = useApi(awsEnvironmentsApiRef);
  const { entity, environment, range } = props;
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getLogs({ entity, environment, range }),
    [api, entity.kind, entity.namespace, entity.name, environment, range],
  );
  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  return (
    <div style={{ width: '100%' }}>
      <SourceErrors errors={value.error ? [value.error] : []} />
      <LogsList logs={value.logs} />
      <Button size="small" onClick={retry} disabled={loading}>
        Read again
      </Button>
    </div>
  );
}

/**
 * The newest log lines, read from AWS only while the panel is open: most
 * visits never look at them, and FilterLogEvents is the priciest read.
 */
export function LogsPanel(props: {
  entity: CompoundEntityRef;
  environment: string;
  range: StatusRange;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Accordion
      expanded={open}
      onChange={(_, expanded) => setOpen(expanded)}
      TransitionProps={{ unmountOnExit: true }}
      data-testid="logs-panel"
    >
      <AccordionSummary expandIcon={<ExpandMoreIcon />}>
        <Typography variant="subtitle2">Recent logs</Typography>
      </AccordionSummary>
      <AccordionDetails>{open && <Logs {...props} />}</AccordionDetails>
    </Accordion>
  );
}
