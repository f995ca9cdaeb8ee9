import {
  ConsoleLinks,
  consoleUrl,
  EnvironmentResourceNames,
} from '@envplane/plugin-aws-environments-common';

/** The CloudWatch console escapes `%` of an encoded log group name as `$25`. */
function consoleEscape(value: string): string {
  return encodeURIComponent(encodeURIComponent(value)).replace(/%/g, '$');
}

export function consoleLinks(
  region: string,
  names: EnvironmentResourceNames,
): ConsoleLinks {
  const url = (path: string) => consoleUrl(region, path);
  const service = url(
    `/ecs/v2/clusters/${encodeURIComponent(
      names.clusterName,
    )}/services/${encodeURIComponent(names.serviceName)}`,
  );
  return {
    service: `${service}/health?region=${region}`,
    tasks: `${service}/tasks?region=${region}`,
    metrics: `${service}/metrics?region=${region}`,
    logs: url(
      `/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${consoleEscape(
        names.logGroupName,
      )}`,
    ),
    parameters: url(
      `/systems-manager/parameters/?region=${region}&tab=Table#list_parameter_filters=Path:Recursive:${encodeURIComponent(
        names.parameterPath,
      )}`,
    ),
    stack: url(
      `/cloudformation/home?region=${region}#/stacks?filteringText=${encodeURIComponent(
        names.stackName,
      )}`,
    ),
  };
}
