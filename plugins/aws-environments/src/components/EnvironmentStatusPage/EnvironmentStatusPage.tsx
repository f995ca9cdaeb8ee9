import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import TextField from '@material-ui/core/TextField';
import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import { Content, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  CATALOG_FILTER_EXISTS,
  catalogApiRef,
} from '@backstage/plugin-catalog-react';
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

/** Rows per page: a screenful, and the backend's one request per page. */
const PAGE_SIZE = 25;

/**
 * Every service with AWS environments, across the promotion path: one page
 * of them at a time, filtered and paged by the backend from its status
 * snapshots, so the page costs the same with ten services or a thousand.
 */
export function EnvironmentStatusPage() {
  const catalogApi = useApi(catalogApiRef);
  const [owner, setOwner] = useState(ALL);
  const [system, setSystem] = useState(ALL);
  const [text, setText] = useState('');
  const [typed, setTyped] = useState('');
  const [cursor, setCursor] = useState<string>();
  useDebounce(() => setText(typed.trim()), 300, [typed]);
  // The filter choices: one facets request, not every entity.
  const facets = useAsync(async () => {
    const { facets: found } = await catalogApi.getEntityFacets({
      filter: {
        kind: 'component',
        [`metadata.annotations.${ANNOTATION_PROJECT}`]: CATALOG_FILTER_EXISTS,
      },
      facets: ['spec.owner', 'spec.system'],
    });
    const values = (facet: string) =>
      (found[facet] ?? []).map(f => f.value).sort();
    return { owners: values('spec.owner'), systems: values('spec.system') };
  }, [catalogApi]);
  const query = useMemo(
    () =>
      cursor
        ? { cursor, limit: PAGE_SIZE }
        : {
            owner: owner || undefined,
            system: system || undefined,
            text: text || undefined,
            limit: PAGE_SIZE,
          },
    [cursor, owner, system, text],
  );
  const filter = (set: (value: string) => void) => (value: string) => {
    set(value);
    setCursor(undefined);
  };

  return (
    <Content>
      {facets.error && <ResponseErrorPanel error={facets.error} />}
      <Box display="flex" gridGap={16} mb={2}>
        <FilterSelect
          label="Owner"
          value={owner}
          options={facets.value?.owners ?? []}
          onChange={filter(setOwner)}
        />
        <FilterSelect
          label="System"
          value={system}
          options={facets.value?.systems ?? []}
          onChange={filter(setSystem)}
        />
        <TextField
          id="search-services"
          label="Search services"
          variant="outlined"
          size="small"
          value={typed}
          onChange={e => {
            setTyped(e.target.value);
            setCursor(undefined);
          }}
        />
      </Box>
      <EnvironmentStatusGrid
        query={query}
        onCursor={setCursor}
        title="Services by environment"
      />
    </Content>
  );
}
