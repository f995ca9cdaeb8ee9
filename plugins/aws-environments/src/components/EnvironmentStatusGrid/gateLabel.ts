import { PromotionGate } from '@envplane/plugin-aws-environments-common';

/**
 * Where a request's verification gate stands, in words: "verifying, 12 of
 * 30 min", "verification held: <why>", or undefined once it has passed (or
 * when there is none).
 */
export function gateLabel(
  gate: PromotionGate | undefined,
  now: Date,
): string | undefined {
  if (!gate || gate.verifiedAt) {
    return undefined;
  }
  if (!gate.verifyingSince) {
    return gate.blockedBy
      ? `verification held: ${gate.blockedBy}`
      : `verifying, 0 of ${gate.soakMinutes} min`;
  }
  const elapsed = Math.floor(
    (now.getTime() - new Date(gate.verifyingSince).getTime()) / 60_000,
  );
  return `verifying, ${Math.min(Math.max(elapsed, 0), gate.soakMinutes)} of ${
    gate.soakMinutes
  } min`;
}
