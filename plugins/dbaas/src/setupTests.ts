import '@testing-library/jest-dom';

// Component tests render whole Backstage test apps; on a busy 2-core
// machine some take longer than Jest's 5 s default without being wrong.
jest.setTimeout(30_000);
