/*
 * When CloudFormation counts an AWS::ECS::Service as created or updated: once
 * the service has stabilised, that is, the deployment the create or update
 * started is the primary one, has rolled out (rolloutState COMPLETED) and the
 * service runs its desired count of tasks in that one deployment. Until then
 * the resource, and its stack, stay in progress.
 *
 * With DeploymentConfiguration.DeploymentCircuitBreaker enabled, ECS fails a
 * deployment whose tasks keep failing (rolloutState FAILED, "ECS deployment
 * circuit breaker: tasks failed to start.", simulation/ecsCircuitBreaker.ts) and
 * CloudFormation fails the resource with the message AWS writes:
 *
 *   Resource handler returned message: "Error occurred during operation
 *   'ECS Deployment Circuit Breaker was triggered'." (RequestToken: ...,
 *   HandlerErrorCode: GeneralServiceException)
 *
 * then rolls the stack back. With Rollback: true ECS first rolls the service
 * back to its last completed deployment, and CloudFormation fails the
 * resource once that rollback has finished (as ECS's team described the
 * integration: github.com/aws/containers-roadmap/issues/1205). A service
 * created by the stack has no completed deployment to go back to.
 *
 * Without the breaker a deployment never fails. AWS's CloudFormation gives up
 * after about three hours; the sandbox keeps waiting instead, so the resource
 * stays in progress: on a simulated clock that a test may move hours at
 * once, a fixed timeout would fire where the test only meant to skip ahead,
 * and removing the crash-loop fault lets the deployment complete.
 */
import { lastSegment } from '../services/ecsLookup';
import type { ResourceContext } from './provider';
import type { ResourceWait } from './resourceWaits';

/** The handler's message when the breaker failed the deployment. */
export const CIRCUIT_BREAKER_TRIGGERED =
  "Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'.";

/**
 * The check CloudFormation polls after creating or updating the service
 * `physicalId` (its ARN) with properties `props`.
 */
export function ecsServiceStabilisation(
  physicalId: string,
  props: any,
  ctx: ResourceContext,
): ResourceWait {
  const cluster = lastSegment(
    typeof props.Cluster === 'string' && props.Cluster
      ? props.Cluster
      : 'default',
  );
  const key = `${cluster}/${lastSegment(physicalId)}`;
  const services = ctx.regionState.ecs.services;
  // The deployment this create or update started (or the primary one, if
  // the update changed nothing that needs a new deployment).
  let target = services[key]?.deployments[0]?.id;
  const since = ctx.now;
  let breakerTripped = false;
  return () => {
    const svc = services[key];
    if (!svc || svc.status !== 'ACTIVE') {
      return {
        failed: 'Service was not ACTIVE.',
        handlerErrorCode: 'NotFound',
      };
    }
    // CODE_DEPLOY and EXTERNAL deployments are not ECS's to roll out.
    if ((svc.deploymentController?.type ?? 'ECS') !== 'ECS') return 'complete';
    const primary = svc.deployments[0];
    if (!breakerTripped) {
      const deployment = svc.deployments.find(d => d.id === target);
      if (deployment?.rolloutState === 'FAILED') breakerTripped = true;
      else if (!deployment) {
        // Gone: ECS drops a failed deployment as soon as its tasks are
        // stopping, so a rollback the breaker started since means failed;
        // otherwise an UpdateService outside the stack superseded it, and
        // that deployment is the one to wait for.
        if (primary?.isRollback && primary.createdAt >= since) {
          breakerTripped = true;
        } else target = primary?.id;
      }
    }
    if (breakerTripped) {
      if (primary?.isRollback && primary.rolloutState === 'IN_PROGRESS') {
        return 'waiting';
      }
      return {
        failed: CIRCUIT_BREAKER_TRIGGERED,
        handlerErrorCode: 'GeneralServiceException',
      };
    }
    const stable =
      primary !== undefined &&
      primary.id === target &&
      primary.rolloutState === 'COMPLETED' &&
      svc.steady === true;
    return stable ? 'complete' : 'waiting';
  };
}
