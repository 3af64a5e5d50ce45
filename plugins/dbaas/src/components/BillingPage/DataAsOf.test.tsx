import { render, screen } from '@testing-library/react';
import { DataAsOf } from './DataAsOf';

const NOW = Date.parse('2026-12-07T09:05:00Z');

describe('DataAsOf', () => {
  it('says the hour in progress is included, not "data up to in 55 minutes"', () => {
    const { container } = render(
      <DataAsOf asOf="2026-12-07T10:00:00.000Z" now={NOW} />,
    );
    expect(container.textContent).toBe(
      'Includes the hour in progress, counted in full until 7 Dec 2026, 10:00 UTC and settled when it ends.',
    );
    expect(container.textContent).not.toMatch(/\bin \d+ minutes\b/);
    expect(screen.getByText('7 Dec 2026, 10:00 UTC')).toHaveAttribute(
      'dateTime',
      '2026-12-07T10:00:00.000Z',
    );
  });

  it('gives a moment in the past as time ago', () => {
    const asOf = new Date(Date.now() - 3 * 3_600_000).toISOString();
    const { container } = render(<DataAsOf asOf={asOf} />);
    expect(container.textContent).toMatch(
      /^Data complete up to 3 hours ago \(.+\)\.$/,
    );
  });
});
