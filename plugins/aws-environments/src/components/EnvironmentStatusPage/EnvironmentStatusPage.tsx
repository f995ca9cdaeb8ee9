import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import {
  Content,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  CATALOG_FILTER_EXISTS,
  catalogApiRef,
} from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { ANNOTATION_PROJECT } from '@envplane/plugin-aws-environments-common';
import { EnvironmentStatusGrid } from '../EnvironmentStatusGrid';

const ALL = '';

function FilterSelect(props: {
  label: string;
  value: string;
  options: string[];
  onChange: (value: string) => void;
}) {
  const id = `filter-${props.label.toLowerCase()}`;
  return (
    <FormControl variant="outlined" size="small" style={{ minWidth: 220 }}>
      <InputLabel id={id}>{props.label}</InputLabel>
      <Select
        labelId={id}
        label={props.label}
        value={props.value}
        onChange={e => props.onChange(e.target.value as string)}
      >
        <MenuItem value={ALL}>All</MenuItem>
        {props.options.map(o => (
          <MenuItem key={o} value={o}>
            {o.replace(/^[a-z]+:default\//, '')}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

/** Every service with AWS environments, across the promotion path. */
export function EnvironmentStatusPage() {
  const catalogApi = useApi(catalogApiRef);
  const [owner, setOwner] = useState(ALL);
  const [system, setSystem] = useState(ALL);
  const {
    value: entities,
    loading,
    error,
  } = useAsync(
    async () =>
      (
        await catalogApi.getEntities({
          filter: {
            kind: 'component',
            [`metadata.annotations.${ANNOTATION_PROJECT}`]:
              CATALOG_FILTER_EXISTS,
          },
        })
      ).items,
    [catalogApi],
  );
  const values = (key: 'owner' | 'system') =>
    [...new Set((entities ?? []).map(e => String(e.spec?.[key] ?? '')))]
      .filter(Boolean)
      .sort();
  const shown = useMemo(
    () =>
      entities?.filter(
        (e: Entity) =>
          (owner === ALL || e.spec?.owner === owner) &&
          (system === ALL || e.spec?.system === system),
      ),
    [entities, owner, system],
  );

  return (
    <Content>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {entities && (
        <>
          <Box display="flex" gridGap={16} mb={2}>
            <FilterSelect
              label="Owner"
              value={owner}
              options={values('owner')}
              onChange={setOwner}
            />
            <FilterSelect
              label="System"
              value={system}
              options={values('system')}
              onChange={setSystem}
            />
          </Box>
          <EnvironmentStatusGrid
            entities={shown}
            title="Services by environment"
          />
        </>
      )}
    </Content>
  );
}
