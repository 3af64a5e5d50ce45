// The browser test and the benchmark run in Node with Node's own test runner
// (not Jest, not in the browser): Node's modules are what they import, and
// the benchmark prints its figures.
module.exports = {
  rules: {
    'no-restricted-imports': 'off',
    'no-console': 'off',
  },
};
