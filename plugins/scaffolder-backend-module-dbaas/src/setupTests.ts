// Tests here run git, PostgreSQL and HTTP servers for real; on a busy
// 2-core machine some take longer than Jest's 5 s default without being
// wrong, so the default is raised for every test of the package.
jest.setTimeout(30_000);

export {};
