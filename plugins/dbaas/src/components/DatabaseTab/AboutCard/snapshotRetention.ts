/**
 * Default snapshot retention per environment (platform guide): 35 days for
 * production and staging, 7 for test and dev. Undefined when the
 * environment is unknown or has another name.
 */
export function snapshotRetentionDays(
  environment: string | undefined,
): number | undefined {
  const normalized = environment?.trim().toLowerCase();
  if (!normalized) {
    return undefined;
  }
  if (/^(prod|production|staging|stage)$/.test(normalized)) {
    return 35;
  }
  if (/^(test|testing|dev|development)$/.test(normalized)) {
    return 7;
  }
  return undefined;
}
