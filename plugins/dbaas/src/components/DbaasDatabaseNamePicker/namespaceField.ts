/** The form field that holds the namespace unless `ui:options` names another. */
export const DEFAULT_NAMESPACE_FIELD = 'namespace';

/**
 * The namespace the user picked in another field of the form, or undefined
 * while that field is empty.
 */
export function namespaceFromFormData(
  formData: unknown,
  namespaceField: string = DEFAULT_NAMESPACE_FIELD,
): string | undefined {
  if (typeof formData !== 'object' || formData === null) {
    return undefined;
  }
  const value = (formData as Record<string, unknown>)[namespaceField];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
