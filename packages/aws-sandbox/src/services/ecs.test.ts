import {
  ClusterNotFoundException,
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServicesCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  ServiceNotFoundException,
  UpdateServiceCommand,
  ClientException,
  InvalidParameterException,
  paginateListServices,
  paginateListTasks,
} from '@aws-sdk/client-ecs';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { useSandbox } from '../__testUtils__/sandbox';

const CLUSTER = 'devops-app-qa-ecs-cluster';
const SERVICE = 'devops-app-qa-service';

describe('ECS', () => {
  const t = useSandbox();
  const ecs = () => new ECSClient(t.config);

  async function registerTd(image: string) {
    const res = await ecs().send(
      new RegisterTaskDefinitionCommand({
        family: 'devops-app-qa',
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        executionRoleArn: 'arn:aws:iam::000000000000:role/exec',
        containerDefinitions: [
          {
            name: 'app',
            image,
            essential: true,
            portMappings: [{ containerPort: 5000 }],
            logConfiguration: {
              logDriver: 'awslogs',
              options: {
                'awslogs-group': '/ecs/devops-app-qa',
                'awslogs-region': 'us-east-1',
                'awslogs-stream-prefix': 'ecs',
              },
            },
          },
        ],
      }),
    );
    return res.taskDefinition!;
  }

  async function describe() {
    const res = await ecs().send(
      new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }),
    );
    return res.services![0];
  }

  /** DescribeClusters' STATISTICS for the cluster, as a name → value map. */
  async function statistics() {
    const res = await ecs().send(
      new DescribeClustersCommand({
        clusters: [CLUSTER],
        include: ['STATISTICS'],
      }),
    );
    return Object.fromEntries(
      res.clusters![0].statistics!.map(s => [s.name, s.value]),
    );
  }

  it('reports typed errors for missing clusters and services', async () => {
    await expect(
      ecs().send(new ListServicesCommand({ cluster: 'nope' })),
    ).rejects.toBeInstanceOf(ClusterNotFoundException);
    await ecs().send(new CreateClusterCommand({ clusterName: CLUSTER }));
    await expect(
      ecs().send(
        new UpdateServiceCommand({
          cluster: CLUSTER,
          service: 'missing',
          desiredCount: 1,
        }),
      ),
    ).rejects.toBeInstanceOf(ServiceNotFoundException);
    await expect(
      ecs().send(
        new DescribeTaskDefinitionCommand({ taskDefinition: 'nope:1' }),
      ),
    ).rejects.toBeInstanceOf(ClientException);
    const missing = await ecs().send(
      new DescribeServicesCommand({ cluster: CLUSTER, services: ['missing'] }),
    );
    expect(missing.failures).toEqual([
      {
        arn: `arn:aws:ecs:us-east-1:000000000000:service/${CLUSTER}/missing`,
        reason: 'MISSING',
      },
    ]);
    await expect(
      ecs().send(
        new RegisterTaskDefinitionCommand({
          family: 'bad',
          requiresCompatibilities: ['FARGATE'],
          networkMode: 'awsvpc',
          cpu: '256',
          memory: '4096',
          containerDefinitions: [{ name: 'a', image: 'x' }],
        }),
      ),
    ).rejects.toBeInstanceOf(ClientException);
  });

  it('runs a service through PROVISIONING, PENDING and RUNNING on the clock', async () => {
    await new CloudWatchLogsClient(t.config).send(
      new CreateLogGroupCommand({ logGroupName: '/ecs/devops-app-qa' }),
    );
    const td = await registerTd('app:1');
    expect(td.taskDefinitionArn).toBe(
      'arn:aws:ecs:us-east-1:000000000000:task-definition/devops-app-qa:1',
    );
    const created = await ecs().send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: SERVICE,
        taskDefinition: 'devops-app-qa',
        desiredCount: 2,
        launchType: 'FARGATE',
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: ['subnet-a', 'subnet-b'],
            assignPublicIp: 'DISABLED',
          },
        },
        deploymentConfiguration: {
          deploymentCircuitBreaker: { enable: true, rollback: true },
          maximumPercent: 200,
          minimumHealthyPercent: 100,
        },
      }),
    );
    expect(created.service).toMatchObject({
      status: 'ACTIVE',
      desiredCount: 2,
      runningCount: 0,
      pendingCount: 2,
    });
    const listed = await ecs().send(
      new ListTasksCommand({ cluster: CLUSTER, serviceName: SERVICE }),
    );
    expect(listed.taskArns).toHaveLength(2);
    let tasks = await ecs().send(
      new DescribeTasksCommand({ cluster: CLUSTER, tasks: listed.taskArns }),
    );
    expect(tasks.tasks!.map(x => x.lastStatus)).toEqual([
      'PROVISIONING',
      'PROVISIONING',
    ]);
    expect(await statistics()).toEqual({
      runningEC2TasksCount: '0',
      runningFargateTasksCount: '0',
      pendingEC2TasksCount: '0',
      pendingFargateTasksCount: '2',
      activeEC2ServiceCount: '0',
      activeFargateServiceCount: '1',
      drainingEC2ServiceCount: '0',
      drainingFargateServiceCount: '0',
    });

    t.sb.advance(5);
    tasks = await ecs().send(
      new DescribeTasksCommand({ cluster: CLUSTER, tasks: listed.taskArns }),
    );
    expect(tasks.tasks!.map(x => x.lastStatus)).toEqual(['PENDING', 'PENDING']);

    t.sb.advance(10);
    tasks = await ecs().send(
      new DescribeTasksCommand({ cluster: CLUSTER, tasks: listed.taskArns }),
    );
    expect(tasks.tasks!.map(x => x.lastStatus)).toEqual(['RUNNING', 'RUNNING']);
    expect(tasks.tasks![0]).toMatchObject({
      desiredStatus: 'RUNNING',
      launchType: 'FARGATE',
      group: `service:${SERVICE}`,
      cpu: '256',
      memory: '512',
    });
    expect(tasks.tasks![0].startedAt).toBeInstanceOf(Date);

    let svc = await describe();
    expect(svc).toMatchObject({ runningCount: 2, pendingCount: 0 });
    expect(svc.deployments![0].rolloutState).toBe('IN_PROGRESS');
    t.sb.advance(30);
    svc = await describe();
    expect(svc.deployments).toHaveLength(1);
    expect(svc.deployments![0]).toMatchObject({
      status: 'PRIMARY',
      rolloutState: 'COMPLETED',
      runningCount: 2,
    });
    const messages = svc.events!.map(e => e.message);
    expect(messages[0]).toBe(
      `(service ${SERVICE}) has reached a steady state.`,
    );
    expect(messages).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^\\(service ${SERVICE}\\) has started 2 tasks: \\(task [0-9a-f]{32}\\) \\(task [0-9a-f]{32}\\)\\.$`,
        ),
      ),
    );

    const clusters = await ecs().send(
      new DescribeClustersCommand({ clusters: [CLUSTER] }),
    );
    expect(clusters.clusters![0]).toMatchObject({
      runningTasksCount: 2,
      activeServicesCount: 1,
    });
    // Statistics only when asked for, as ECS does.
    expect(clusters.clusters![0].statistics).toEqual([]);
    expect(await statistics()).toMatchObject({
      runningFargateTasksCount: '2',
      pendingFargateTasksCount: '0',
      activeFargateServiceCount: '1',
    });
  });

  it('writes task output to the awslogs log group', async () => {
    t.sb.advance(180);
    const logs = new CloudWatchLogsClient(t.config);
    const streams = await logs.send(
      new DescribeLogStreamsCommand({ logGroupName: '/ecs/devops-app-qa' }),
    );
    expect(streams.logStreams).toHaveLength(2);
    expect(streams.logStreams![0].logStreamName).toMatch(
      /^ecs\/app\/[0-9a-f]{32}$/,
    );
    const events = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/ecs/devops-app-qa',
        logStreamName: streams.logStreams![0].logStreamName,
        startFromHead: true,
      }),
    );
    expect(events.events![1].message).toBe('Listening on 0.0.0.0:5000');
    expect(events.events!.length).toBeGreaterThanOrEqual(5);
    const filtered = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: '/ecs/devops-app-qa',
        filterPattern: '"Listening on"',
      }),
    );
    expect(filtered.events).toHaveLength(2);
  });

  it('rolls out a new task definition and drains the old deployment', async () => {
    const td2 = await registerTd('app:2');
    await ecs().send(
      new UpdateServiceCommand({
        cluster: CLUSTER,
        service: SERVICE,
        taskDefinition: td2.taskDefinitionArn,
      }),
    );
    let svc = await describe();
    expect(svc.deployments!.map(d => [d.status, d.rolloutState])).toEqual([
      ['PRIMARY', 'IN_PROGRESS'],
      ['ACTIVE', 'COMPLETED'],
    ]);
    t.sb.advance(60);
    svc = await describe();
    expect(svc.deployments).toHaveLength(1);
    expect(svc.deployments![0]).toMatchObject({
      taskDefinition: td2.taskDefinitionArn,
      rolloutState: 'COMPLETED',
      runningCount: 2,
    });
    const stopped = await ecs().send(
      new ListTasksCommand({
        cluster: CLUSTER,
        serviceName: SERVICE,
        desiredStatus: 'STOPPED',
      }),
    );
    expect(stopped.taskArns).toHaveLength(2);
    const described = await ecs().send(
      new DescribeTasksCommand({ cluster: CLUSTER, tasks: stopped.taskArns }),
    );
    expect(described.tasks![0]).toMatchObject({
      lastStatus: 'STOPPED',
      stopCode: 'ServiceSchedulerInitiated',
    });
    expect(described.tasks![0].stoppedReason).toMatch(
      /^Scaling activity initiated by \(deployment ecs-svc\/\d+\)$/,
    );
  });

  it('crash loops, trips the circuit breaker and rolls back', async () => {
    const td3 = await registerTd('app:3-broken');
    t.sb.addFault({
      type: 'crashloop',
      cluster: CLUSTER,
      service: SERVICE,
      taskDefinition: 'devops-app-qa:3',
    });
    await ecs().send(
      new UpdateServiceCommand({
        cluster: CLUSTER,
        service: SERVICE,
        taskDefinition: td3.taskDefinitionArn,
      }),
    );
    for (let i = 0; i < 20; i++) t.sb.advance(15);
    const svc = await describe();
    const stopped = await ecs().send(
      new ListTasksCommand({
        cluster: CLUSTER,
        serviceName: SERVICE,
        desiredStatus: 'STOPPED',
      }),
    );
    const described = await ecs().send(
      new DescribeTasksCommand({ cluster: CLUSTER, tasks: stopped.taskArns }),
    );
    const crashed = described.tasks!.filter(
      x => x.taskDefinitionArn === td3.taskDefinitionArn,
    );
    expect(crashed.length).toBeGreaterThanOrEqual(3);
    expect(crashed[0]).toMatchObject({
      stoppedReason: 'Essential container in task exited',
      stopCode: 'EssentialContainerExited',
    });
    expect(crashed[0].containers![0].exitCode).toBe(1);
    const messages = svc.events!.map(e => e.message);
    expect(messages).toContainEqual(
      expect.stringMatching(/deployment failed: tasks failed to start\.$/),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(/rolling back to deployment ecs-svc\//),
    );
    expect(svc.taskDefinition).toMatch(/devops-app-qa:2$/);
    expect(svc.deployments![0]).toMatchObject({
      status: 'PRIMARY',
      taskDefinition: expect.stringMatching(/devops-app-qa:2$/),
      rolloutState: 'COMPLETED',
    });
    expect(svc.runningCount).toBe(2);
  });

  it('paginates ListServices', async () => {
    for (let i = 0; i < 12; i++) {
      await ecs().send(
        new CreateServiceCommand({
          cluster: CLUSTER,
          serviceName: `extra-${i}`,
          taskDefinition: 'devops-app-qa:2',
          desiredCount: 0,
          launchType: 'FARGATE',
          networkConfiguration: {
            awsvpcConfiguration: { subnets: ['subnet-a'] },
          },
        }),
      );
    }
    const first = await ecs().send(
      new ListServicesCommand({ cluster: CLUSTER }),
    );
    expect(first.serviceArns).toHaveLength(10);
    const all: string[] = [];
    for await (const page of paginateListServices(
      { client: ecs(), pageSize: 5 },
      { cluster: CLUSTER },
    )) {
      all.push(...page.serviceArns!);
    }
    expect(all).toHaveLength(13);
  });

  it('paginates ListTasks', async () => {
    const cluster = 'tasks-paging';
    await ecs().send(new CreateClusterCommand({ clusterName: cluster }));
    await ecs().send(
      new RegisterTaskDefinitionCommand({
        family: 'paging',
        containerDefinitions: [{ name: 'app', image: 'x', memory: 128 }],
      }),
    );
    await ecs().send(
      new CreateServiceCommand({
        cluster,
        serviceName: 'five',
        taskDefinition: 'paging',
        desiredCount: 5,
      }),
    );
    t.sb.advance(120);
    const whole = await ecs().send(new ListTasksCommand({ cluster }));
    expect(whole.taskArns).toHaveLength(5);
    expect(whole.nextToken).toBeUndefined();

    const first = await ecs().send(
      new ListTasksCommand({ cluster, serviceName: 'five', maxResults: 2 }),
    );
    expect(first.taskArns).toEqual(whole.taskArns!.slice(0, 2));
    const second = await ecs().send(
      new ListTasksCommand({
        cluster,
        serviceName: 'five',
        maxResults: 2,
        nextToken: first.nextToken,
      }),
    );
    expect(second.taskArns).toEqual(whole.taskArns!.slice(2, 4));
    const pages: string[][] = [];
    for await (const page of paginateListTasks(
      { client: ecs(), pageSize: 2 },
      { cluster, serviceName: 'five' },
    )) {
      pages.push(page.taskArns!);
    }
    expect(pages.map(p => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(whole.taskArns);

    // A token only continues the listing it came from.
    await expect(
      ecs().send(
        new ListTasksCommand({
          cluster,
          desiredStatus: 'STOPPED',
          nextToken: first.nextToken,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      ecs().send(new ListTasksCommand({ cluster, maxResults: 101 })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });
});
