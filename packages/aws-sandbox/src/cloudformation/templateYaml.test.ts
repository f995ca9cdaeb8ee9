import { parseTemplateYaml } from './templateYaml';

describe('parseTemplateYaml', () => {
  it('reads CloudFormation short-form tags and YAML 1.1 scalars', () => {
    const doc = [
      '# comment',
      'AWSTemplateFormatVersion: 2010-09-09',
      'A: !Ref X',
      'B: !GetAtt R.Arn',
      "C: !Sub 'a-${X}'",
      'D: !Join',
      "  - ''",
      '  - - a',
      '    - !Ref Y',
      "E: [1, 'two', {k: v}]",
      'F: |',
      '  hello',
      '  world',
      'G: "quoted \\"x\\""',
      'H: yes',
      'I: "0123"',
      'J:',
      '- x',
      '- y: 1',
      '  z: 2',
      'K: 1:30',
      'L: [y, n, off, No]',
      'On: 1',
    ].join('\n');
    expect(parseTemplateYaml(doc)).toEqual({
      AWSTemplateFormatVersion: '2010-09-09',
      A: { Ref: 'X' },
      B: { 'Fn::GetAtt': ['R', 'Arn'] },
      C: { 'Fn::Sub': 'a-${X}' },
      D: { 'Fn::Join': ['', ['a', { Ref: 'Y' }]] },
      E: [1, 'two', { k: 'v' }],
      F: 'hello\nworld\n',
      G: 'quoted "x"',
      H: true,
      I: '0123',
      J: ['x', { y: 1, z: 2 }],
      K: '1:30',
      L: ['y', 'n', false, false],
      On: 1,
    });
  });

  it('turns every short-form tag into its long form', () => {
    const doc = [
      'GetAttList: !GetAtt [Db, Endpoint.Address]',
      'GetAttDots: !GetAtt Db.Endpoint.Address',
      'SubList: !Sub ["${A}-x", {A: !Ref B}]',
      'Select: !Select [0, !GetAZs ""]',
      'Split: !Split [",", !ImportValue Shared]',
      'If: !If [IsProd, !Ref AWS::NoValue, 3]',
      'Cond: !And [!Equals [a, b], !Not [!Condition C], !Or [!Condition D]]',
      'Map: !FindInMap [M, !Ref AWS::Region, Ami]',
      'B64: !Base64 {"Fn::Sub": "echo ${X}"}',
      'Cidr: !Cidr [10.0.0.0/16, 6, 5]',
    ].join('\n');
    expect(parseTemplateYaml(doc)).toEqual({
      GetAttList: { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] },
      GetAttDots: { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] },
      SubList: { 'Fn::Sub': ['${A}-x', { A: { Ref: 'B' } }] },
      Select: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
      Split: { 'Fn::Split': [',', { 'Fn::ImportValue': 'Shared' }] },
      If: { 'Fn::If': ['IsProd', { Ref: 'AWS::NoValue' }, 3] },
      Cond: {
        'Fn::And': [
          { 'Fn::Equals': ['a', 'b'] },
          { 'Fn::Not': [{ Condition: 'C' }] },
          { 'Fn::Or': [{ Condition: 'D' }] },
        ],
      },
      Map: { 'Fn::FindInMap': ['M', { Ref: 'AWS::Region' }, 'Ami'] },
      B64: { 'Fn::Base64': { 'Fn::Sub': 'echo ${X}' } },
      Cidr: { 'Fn::Cidr': ['10.0.0.0/16', 6, 5] },
    });
  });

  it('resolves anchors and aliases, also inside tagged collections', () => {
    const doc = [
      'Tags: &tags',
      '  - {Key: team, Value: a}',
      'Other: !Join [",", *tags]',
    ].join('\n');
    expect(parseTemplateYaml(doc)).toEqual({
      Tags: [{ Key: 'team', Value: 'a' }],
      Other: { 'Fn::Join': [',', [{ Key: 'team', Value: 'a' }]] },
    });
  });

  it('rejects malformed YAML, unknown tags and a GetAtt without a dot', () => {
    expect(() => parseTemplateYaml('A: [1, 2')).toThrow();
    expect(() => parseTemplateYaml('A: !Unknown x')).toThrow(/Unknown/);
    expect(() => parseTemplateYaml('A: !GetAtt Res')).toThrow(
      /LogicalId\.AttributeName/,
    );
    expect(() => parseTemplateYaml('A: 1\nA: 2')).toThrow(/unique/);
  });
});
