// The browser test runs in Node with Node's own test runner (not Jest, not
// in the browser), so Node's modules are what it should import.
module.exports = {
  rules: {
    'no-restricted-imports': 'off',
  },
};
