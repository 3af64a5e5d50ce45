import { dbaasPlugin } from './plugin';

describe('dbaas', () => {
  it('should export plugin', () => {
    expect(dbaasPlugin).toBeDefined();
  });
});
