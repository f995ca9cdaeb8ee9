import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { useEffect } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  Progress,
  ResponseErrorPanel,
  Table,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { PromotionEvent } from '@envplane/plugin-aws-environments-common';
import { awsEnvironmentsApiRef } from '../../api';
import { promotionPollDelay } from './useEnvironmentGrid';

/** A promotion request's audit history: every change, who and when. */
export function PromotionHistoryDialog(props: {
  promotionId: string;
  onClose: () => void;
}) {
  const api = useApi(awsEnvironmentsApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getPromotion(props.promotionId),
    [api, props.promotionId],
  );
  // An open request's history grows as it is reviewed and deployed; one
  // read at a time, at the grid's pace for its status, until it is decided
  // and done or the dialog closes.
  const delay = value ? promotionPollDelay(value.status) : undefined;
  useEffect(() => {
    if (delay === undefined || loading) {
      return undefined;
    }
    const timer = setTimeout(retry, delay);
    return () => clearTimeout(timer);
  }, [delay, loading, retry, value]);
  return (
    <Dialog open onClose={props.onClose} maxWidth="md" fullWidth>
      <DialogTitle>
        {value?.kind === 'rollback'
          ? `Rollback of ${value.to}`
          : `Promotion ${value ? `${value.from} → ${value.to}` : ''}`}
      </DialogTitle>
      <DialogContent>
        {loading && !value && <Progress />}
        {error && <ResponseErrorPanel error={error} />}
        {value && (
          <>
            <Typography variant="body2" gutterBottom>
              {value.image} · {value.status.replace('_', ' ')}
              {value.failureReason ? ` · ${value.failureReason}` : ''}
            </Typography>
            <Table<PromotionEvent>
              options={{
                paging: false,
                search: false,
                padding: 'dense',
                toolbar: false,
              }}
              data={value.events}
              columns={[
                { title: 'When', render: e => new Date(e.at).toLocaleString() },
                { title: 'Who', field: 'actor' },
                { title: 'What', render: e => e.action.replace(/_/g, ' ') },
                {
                  title: 'Status',
                  render: e =>
                    e.toStatus ? `${e.fromStatus ?? '—'} → ${e.toStatus}` : '',
                },
                { title: 'Details', render: e => e.message ?? '' },
              ]}
            />
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}
