import { formatCents, formatPrice } from './formatMoney';

describe('formatCents', () => {
  it('formats integer cents in the currency, without rounding again', () => {
    expect(formatCents(123456, 'USD')).toBe('$1,234.56');
    expect(formatCents(1, 'USD')).toBe('$0.01');
    expect(formatCents(0, 'EUR')).toBe('€0.00');
    expect(formatCents(-250, 'USD')).toBe('-$2.50');
  });

  it('still shows the amount when the currency code is unknown to Intl', () => {
    expect(formatCents(1999, 'NOT-A-CURRENCY')).toBe('19.99 NOT-A-CURRENCY');
  });
});

describe('formatPrice', () => {
  it('keeps the decimals a price has below the cent', () => {
    expect(formatPrice(0.021, 'USD')).toBe('$0.021');
    expect(formatPrice(0.12, 'USD')).toBe('$0.12');
    expect(formatPrice(50, 'EUR')).toBe('€50.00');
    expect(formatPrice(0.000125, 'USD')).toBe('$0.000125');
  });

  it('falls back to the code for an unknown currency', () => {
    expect(formatPrice(0.1, 'XX1')).toBe('0.1 XX1');
  });
});
