/*
 * Reads YAML CloudFormation templates with the `yaml` package. toolkit-lib
 * (like the CDK CLI) sends templates as YAML 1.1, and hand-written templates
 * use CloudFormation's short-form tags (!Ref, !GetAtt, !Sub, ...), which are
 * turned into the long form ({ Ref: ... }, { "Fn::GetAtt": [...] }) that the
 * engine evaluates.
 */
import {
  Pair,
  parseDocument,
  Scalar,
  ScalarTag,
  CollectionTag,
  Tags,
  YAMLMap,
  YAMLSeq,
} from 'yaml';

const SHORT_FORMS = [
  'Ref',
  'Condition',
  'Sub',
  'GetAtt',
  'Join',
  'Select',
  'Split',
  'If',
  'Equals',
  'Not',
  'And',
  'Or',
  'FindInMap',
  'GetAZs',
  'ImportValue',
  'Base64',
  'Cidr',
] as const;

/** `!Ref` and `!Condition` keep their name; the rest are `Fn::` functions. */
const longName = (name: string) =>
  name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;

/** `!GetAtt Res.Attr` splits at the first dot: attribute names may hold dots. */
function scalarForm(name: string, value: string): unknown {
  if (name === 'GetAtt') {
    const dot = value.indexOf('.');
    if (dot <= 0 || dot === value.length - 1) {
      throw new Error(
        `!GetAtt needs LogicalId.AttributeName, got ${JSON.stringify(value)}`,
      );
    }
    return { 'Fn::GetAtt': [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [longName(name)]: value };
}

// A collection stays a YAML node inside the wrapping map so that aliases in
// it are resolved by the document, like any other node.
function collectionForm(name: string, node: YAMLMap | YAMLSeq): YAMLMap {
  const map = new YAMLMap();
  map.items.push(new Pair(new Scalar(longName(name)), node));
  return map;
}

const cloudFormationTags: Array<ScalarTag | CollectionTag> =
  SHORT_FORMS.flatMap(name => [
    {
      tag: `!${name}`,
      resolve: (value: string) => scalarForm(name, value),
    } satisfies ScalarTag,
    ...(['seq', 'map'] as const).map(
      collection =>
        ({
          tag: `!${name}`,
          collection,
          resolve: (node: YAMLMap.Parsed | YAMLSeq.Parsed) =>
            collectionForm(name, node),
        } as CollectionTag),
    ),
  ]);

// YAML 1.1's timestamp, sexagesimal and binary/set/omap types would turn
// values such as `AWSTemplateFormatVersion: 2010-09-09` into Dates or
// numbers; CloudFormation reads them as strings.
const DROPPED_TYPES = new Set([
  'tag:yaml.org,2002:bool',
  'tag:yaml.org,2002:timestamp',
  'tag:yaml.org,2002:binary',
  'tag:yaml.org,2002:omap',
  'tag:yaml.org,2002:pairs',
  'tag:yaml.org,2002:set',
]);

// The yaml package's 1.1 booleans include y/Y/n/N; CloudFormation (like
// PyYAML) reads only yes/no, true/false and on/off as booleans.
const bool: ScalarTag = {
  tag: 'tag:yaml.org,2002:bool',
  default: true,
  test: /^(?:[Yy]es|YES|[Nn]o|NO|[Tt]rue|TRUE|[Ff]alse|FALSE|[Oo]n|ON|[Oo]ff|OFF)$/,
  resolve: (value: string) =>
    /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/.test(value),
};

function schemaTags(tags: Tags): Tags {
  return [
    ...tags.filter(
      t =>
        typeof t === 'object' &&
        !DROPPED_TYPES.has(t.tag) &&
        t.format !== 'TIME',
    ),
    bool,
    ...cloudFormationTags,
  ];
}

/** Parses a YAML template; throws with YAML's message when it is not valid. */
export function parseTemplateYaml(source: string): unknown {
  const doc = parseDocument(source, {
    version: '1.1',
    schema: 'yaml-1.1',
    customTags: schemaTags,
    // Keys are names (`On:`, `No:`), never booleans or numbers.
    stringKeys: true,
    // Warnings (such as an unknown `!Tag`) are errors here, not console noise.
    logLevel: 'silent',
  });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) throw new Error(problems[0].message);
  return doc.toJS({ maxAliasCount: 1000 });
}
