import { Table, TableColumn } from '@backstage/core-components';
import { EcsTaskSummary } from '@envplane/plugin-aws-environments-common';

function exitCodes(task: EcsTaskSummary): string {
  const codes = task.containers
    .filter(c => c.exitCode !== undefined)
    .map(c => `${c.name}: ${c.exitCode}`);
  return codes.length ? codes.join(', ') : '—';
}

function time(value?: string) {
  return value ? new Date(value).toLocaleString() : '—';
}

const columns: TableColumn<EcsTaskSummary>[] = [
  { title: 'Task', field: 'taskId', highlight: true },
  { title: 'Status', field: 'lastStatus' },
  { title: 'Health', render: t => t.healthStatus ?? '—' },
  { title: 'AZ', render: t => t.availabilityZone ?? '—' },
  { title: 'Revision', render: t => t.taskDefinitionRevision ?? '—' },
  { title: 'Image', render: t => t.containers[0]?.image ?? '—' },
  { title: 'Started', render: t => time(t.startedAt) },
  { title: 'Stopped', render: t => time(t.stoppedAt) },
  { title: 'Stopped reason', render: t => t.stoppedReason ?? '—' },
  { title: 'Exit codes', render: exitCodes },
];

/** Running and recently stopped tasks, with why each stopped. */
export function TasksTable(props: { tasks: EcsTaskSummary[] }) {
  return (
    <Table
      title={`Tasks (${props.tasks.length})`}
      options={{
        paging: props.tasks.length > 10,
        pageSize: 10,
        search: false,
        padding: 'dense',
      }}
      columns={columns}
      data={props.tasks}
      emptyContent={
        <div style={{ padding: 16 }}>No running or recently stopped tasks.</div>
      }
    />
  );
}
