module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // aws-cdk-lib/assertions' Template methods are assertions too.
    'jest/expect-expect': [
      'error',
      {
        assertFunctionNames: [
          'expect',
          '**.hasResourceProperties',
          '**.hasResource',
          '**.resourceCountIs',
          '**.hasParameter',
        ],
      },
    ],
  },
});
