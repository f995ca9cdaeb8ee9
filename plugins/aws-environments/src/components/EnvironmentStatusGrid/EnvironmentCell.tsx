import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import MuiLink from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import { Link } from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  EnvironmentPromotionSummary,
  EnvironmentDriftSummary,
  EnvironmentSummary,
} from '@envplane/plugin-aws-environments-common';
import { awsEnvironmentsApiRef } from '../../api';
import { HealthStatus } from '../EnvironmentSection/HealthStatus';
import { DriftLine } from '../EnvironmentOverview/DriftLine';
import { gateLabel } from './gateLabel';
import { imageTag } from './imageTag';

/**
 * One service in one environment: health, running image, how it got there,
 * and the promotion waiting for review, with the actions the user may take.
 */
export function EnvironmentCell(props: {
  entityRef: string;
  environmentsLink: string;
  status?: EnvironmentSummary;
  /** The environment's last drift check. */
  drift?: EnvironmentDriftSummary;
  promotion?: EnvironmentPromotionSummary;
  /** The next environment on the path, when there is one. */
  next?: { name: string; title: string };
  /** The signed-in user's entity ref, to keep requesters from approving. */
  currentUser?: string;
  onChange: () => void;
  /** Opens a promotion's audit history. */
  onShowHistory: (promotionId: string) => void;
}) {
  const { status, promotion, next } = props;
  const api = useApi(awsEnvironmentsApiRef);
  const alertApi = useApi(alertApiRef);
  const me = props.currentUser;
  const [busy, setBusy] = useState(false);

  const act = async (what: string, fn: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await fn();
      alertApi.post({
        message: what,
        severity: 'success',
        display: 'transient',
      });
      props.onChange();
    } catch (error) {
      alertApi.post({ message: `${error}`, severity: 'error' });
    } finally {
      setBusy(false);
    }
  };

  if (!status) {
    return (
      <Typography variant="body2" color="textSecondary">
        not provisioned
      </Typography>
    );
  }
  const image = status.service?.image;
  const pending = promotion?.pending;
  const rollbackTo = promotion?.rollbackTo;
  const gate = gateLabel(pending?.gate, new Date());
  const last = promotion?.lastSucceeded;
  // A failure matters until something newer has landed.
  const failed =
    promotion?.lastFailed &&
    (!last || (promotion.lastFailed.finishedAt ?? '') > last.at)
      ? promotion.lastFailed
      : undefined;
  // A wizard run (or anything else) may have deployed another image since
  // the last promotion; only the image the promotion delivered is its doing.
  const byPromotion = last && image && last.image === image ? last : undefined;
  const deployedAt = byPromotion?.at ?? status.service?.deployedAt;

  return (
    <Box data-testid={`cell-${status.name}`} minWidth={180}>
      <Link to={props.environmentsLink}>
        <HealthStatus health={status.health} />
      </Link>
      <Typography variant="body2" title={image}>
        <code>{imageTag(image)}</code>
      </Typography>
      <Typography
        variant="caption"
        color="textSecondary"
        component="div"
        data-testid={`deployed-${status.name}`}
      >
        {deployedAt ? `deployed ${new Date(deployedAt).toLocaleString()}` : ''}
        {byPromotion && (
          <>
            {' by '}
            <MuiLink
              component="button"
              variant="caption"
              onClick={() => props.onShowHistory(byPromotion.promotionId)}
            >
              promotion
            </MuiLink>
          </>
        )}
      </Typography>
      {status.findings.length > 0 && (
        <Typography variant="caption" color="error" component="div">
          {status.findings[0].title}
          {status.findings.length > 1
            ? ` (+${status.findings.length - 1})`
            : ''}
        </Typography>
      )}
      <DriftLine environment={status.name} drift={props.drift} />
      {failed && (
        <Typography
          variant="caption"
          color="error"
          component="div"
          data-testid={`failed-${status.name}`}
        >
          <MuiLink
            component="button"
            variant="caption"
            color="error"
            onClick={() => props.onShowHistory(failed.id)}
          >
            Promotion of {imageTag(failed.image)} failed
          </MuiLink>
          : {failed.failureReason}
        </Typography>
      )}
      {pending && (
        <Box mt={1}>
          <Chip
            size="small"
            color={
              pending.status === 'pending_review' ? 'secondary' : 'default'
            }
            label={`${pending.status.replace('_', ' ')}: ${
              pending.kind === 'rollback' ? 'roll back to ' : ''
            }${imageTag(pending.image)}${
              pending.kind === 'rollback' ? '' : ` from ${pending.from}`
            }`}
            onClick={() => props.onShowHistory(pending.id)}
            data-testid={`pending-${status.name}`}
          />
          {gate && (
            <Typography
              variant="caption"
              component="div"
              color={pending.gate?.blockedBy ? 'error' : 'textSecondary'}
              data-testid={`gate-${status.name}`}
            >
              {gate}
            </Typography>
          )}
          {pending.status === 'pending_review' && (
            <Box mt={0.5} display="flex" gridGap={4}>
              <Button
                size="small"
                variant="outlined"
                color="primary"
                disabled={
                  busy ||
                  me === pending.requestedBy ||
                  me === pending.onBehalfOf
                }
                title={
                  me === pending.requestedBy
                    ? 'You asked for this promotion; someone else must review it.'
                    : undefined
                }
                onClick={() =>
                  act('Promotion approved', () =>
                    api.approvePromotion(pending.id),
                  )
                }
              >
                Approve
              </Button>
              <Button
                size="small"
                disabled={busy}
                onClick={() =>
                  act('Promotion rejected', () =>
                    api.rejectPromotion(pending.id),
                  )
                }
              >
                Reject
              </Button>
            </Box>
          )}
        </Box>
      )}
      {rollbackTo && !pending && (
        <Box mt={1}>
          <Button
            size="small"
            variant="text"
            disabled={busy}
            title={`Redeploys ${rollbackTo.image}, which ran in ${status.name} before ${rollbackTo.replaces}`}
            data-testid={`rollback-${status.name}`}
            onClick={() =>
              act(`Rollback of ${status.name} requested`, () =>
                api.createRollback({
                  entityRef: props.entityRef,
                  environment: status.name,
                }),
              )
            }
          >
            ↶ Roll back to {imageTag(rollbackTo.image)}
          </Button>
        </Box>
      )}
      {next && image && (
        <Box mt={1}>
          <Button
            size="small"
            variant="text"
            disabled={busy}
            onClick={() =>
              act(`Promotion to ${next.title} requested`, () =>
                api.createPromotion({
                  entityRef: props.entityRef,
                  from: status.name,
                  to: next.name,
                  image,
                }),
              )
            }
          >
            Promote to {next.title} →
          </Button>
        </Box>
      )}
    </Box>
  );
}
