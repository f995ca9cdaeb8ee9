import { parseYaml } from './yaml';

describe('parseYaml', () => {
  it('reads CloudFormation short-form tags and scalars', () => {
    const doc = [
      '# comment',
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
    ].join('\n');
    expect(parseYaml(doc)).toEqual({
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
    });
  });
});
