import { Table, TableColumn } from '@backstage/core-components';
import { ParameterMetadata } from '@envplane/plugin-aws-environments-common';

const columns: TableColumn<ParameterMetadata>[] = [
  { title: 'Name', field: 'name', highlight: true },
  { title: 'Type', field: 'type' },
  { title: 'Version', render: p => p.version ?? '—' },
  {
    title: 'Last modified',
    render: p =>
      p.lastModifiedDate ? new Date(p.lastModifiedDate).toLocaleString() : '—',
  },
  { title: 'By', render: p => p.lastModifiedUser ?? '—' },
  { title: 'Tier', render: p => p.tier ?? '—' },
  { title: 'KMS key', render: p => p.keyId ?? '—' },
];

/** The SSM parameters under the environment's path: metadata only, never values. */
export function ParametersTable(props: { parameters: ParameterMetadata[] }) {
  return (
    <Table
      title={`Parameters (${props.parameters.length})`}
      options={{ paging: false, search: false, padding: 'dense' }}
      columns={columns}
      data={props.parameters}
      emptyContent={
        <div style={{ padding: 16 }}>
          No parameters under this environment’s path.
        </div>
      }
    />
  );
}
