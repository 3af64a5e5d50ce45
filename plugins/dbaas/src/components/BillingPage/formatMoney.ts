const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(
  currency: string,
  fractionDigits: { min: number; max: number },
): Intl.NumberFormat | undefined {
  const key = `${currency}:${fractionDigits.min}:${fractionDigits.max}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    try {
      formatter = new Intl.NumberFormat(undefined, {
        style: 'currency',
        currency,
        minimumFractionDigits: fractionDigits.min,
        maximumFractionDigits: fractionDigits.max,
      });
    } catch {
      // A currency code Intl does not know (a typo in app-config): the
      // amounts are still right, shown with the code as given.
      return undefined;
    }
    formatters.set(key, formatter);
  }
  return formatter;
}

/**
 * An amount in integer cents as money in `currency`: `$1,234.56`. Exact:
 * cents are never rounded again, so the figures shown add up as the
 * backend's do.
 */
export function formatCents(cents: number, currency: string): string {
  const formatter = formatterFor(currency, { min: 2, max: 2 });
  const amount = cents / 100;
  return formatter
    ? formatter.format(amount)
    : `${amount.toFixed(2)} ${currency}`;
}

/**
 * A configured price in major units, with the decimals it has (prices such
 * as 0.021 per GB-month go below the cent): `$0.021`.
 */
export function formatPrice(amount: number, currency: string): string {
  const formatter = formatterFor(currency, { min: 2, max: 6 });
  return formatter ? formatter.format(amount) : `${amount} ${currency}`;
}
