import { METRIC_IDS } from '../metrics';
import {
  NOW,
  deployment,
  series,
  service,
  stoppedTask,
} from './__testUtils__/builders';
import { detectFindings, healthFromFindings } from './detectFindings';

describe('detectFindings', () => {
  it('finds nothing in a healthy environment', () => {
    const findings = detectFindings(
      {
        service: service(),
        tasks: [],
        parameters: [{ name: '/shop/test/app-secret', type: 'SecureString' }],
        appSecretParameterName: '/shop/test/app-secret',
        metrics: [series(METRIC_IDS.cpuAverage, Array(10).fill(30))],
      },
      { now: NOW },
    );
    expect(findings).toEqual([]);
    expect(healthFromFindings(findings)).toBe('healthy');
  });

  it('combines rules, most severe first', () => {
    const findings = detectFindings(
      {
        service: service({
          runningCount: 1,
          deployments: [deployment({ rolloutState: 'FAILED' })],
        }),
        tasks: [stoppedTask(), stoppedTask(), stoppedTask()],
        metrics: [series(METRIC_IDS.cpuAverage, Array(10).fill(90))],
      },
      { now: NOW },
    );
    expect(findings.map(f => f.id)).toEqual([
      'crash-looping',
      'deployment-failed',
      'running-below-desired',
      'cpu-above-target',
    ]);
    expect(healthFromFindings(findings)).toBe('unhealthy');
  });

  it('applies option overrides', () => {
    const metrics = [series(METRIC_IDS.cpuAverage, Array(10).fill(60))];
    expect(detectFindings({ tasks: [], metrics }, { now: NOW })).toEqual([]);
    expect(
      detectFindings(
        { tasks: [], metrics },
        { now: NOW, cpuThresholdPercent: 50 },
      ),
    ).toHaveLength(1);
  });
});

describe('healthFromFindings', () => {
  const finding = (severity: 'error' | 'warning' | 'info') => ({
    id: 'x',
    severity,
    title: 'x',
    message: 'x',
    source: 'ecs' as const,
  });

  it('is degraded with warnings', () => {
    expect(healthFromFindings([finding('warning'), finding('info')])).toBe(
      'degraded',
    );
  });

  it('is healthy with notes only', () => {
    expect(healthFromFindings([finding('info')])).toBe('healthy');
  });

  it('is unknown when the environment could not be read', () => {
    expect(
      healthFromFindings([], {
        type: 'TIMEOUT',
        message: 'timed out',
        source: 'ecs',
      }),
    ).toBe('unknown');
  });
});
