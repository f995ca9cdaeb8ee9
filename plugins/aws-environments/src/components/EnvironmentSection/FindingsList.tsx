import { Alert } from '@material-ui/lab';
import Box from '@material-ui/core/Box';
import { Finding } from '@envplane/plugin-aws-environments-common';

/** The health rules' findings, most severe first. */
export function FindingsList(props: { findings: Finding[] }) {
  if (props.findings.length === 0) {
    return null;
  }
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const sorted = [...props.findings].sort(
    (a, b) => rank[a.severity] - rank[b.severity],
  );
  return (
    <Box display="flex" flexDirection="column" gridGap={8} mb={2}>
      {sorted.map(finding => (
        <Alert
          key={finding.id}
          severity={finding.severity}
          data-testid={`finding-${finding.id}`}
        >
          <strong>{finding.title}</strong> — {finding.message}
        </Alert>
      ))}
    </Box>
  );
}
