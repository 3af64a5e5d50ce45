/**
 * Runs `fn` with extra variables in the backend's own environment
 * (`process.env`), then puts back what was there before.
 */
export async function withEnvironment<T>(
  variables: Record<string, string>,
  fn: () => Promise<T>,
): Promise<T> {
  const before = new Map(
    Object.keys(variables).map(name => [name, process.env[name]]),
  );
  Object.assign(process.env, variables);
  try {
    return await fn();
  } finally {
    for (const [name, value] of before) {
      if (value === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = value;
      }
    }
  }
}
