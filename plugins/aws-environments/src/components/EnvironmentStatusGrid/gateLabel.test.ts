import { gateLabel } from './gateLabel';

const now = new Date('2026-12-02T10:30:00Z');
const gate = { soakMinutes: 30, alarmNames: [], alarmPrefixes: [] };

describe('gateLabel', () => {
  it('counts the soak in whole minutes', () => {
    expect(
      gateLabel({ ...gate, verifyingSince: '2026-12-02T10:18:00Z' }, now),
    ).toBe('verifying, 12 of 30 min');
  });

  it('says why the soak is not counting', () => {
    expect(
      gateLabel({ ...gate, blockedBy: 'alarm shop-test-5xx in ALARM' }, now),
    ).toBe('verification held: alarm shop-test-5xx in ALARM');
    expect(gateLabel(gate, now)).toBe('verifying, 0 of 30 min');
  });

  it('says nothing once the gate passed or without one', () => {
    expect(
      gateLabel({ ...gate, verifiedAt: '2026-12-02T10:29:00Z' }, now),
    ).toBeUndefined();
    expect(gateLabel(undefined, now)).toBeUndefined();
  });
});
