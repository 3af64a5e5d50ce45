import { budgetLevel, formatBudgetPercent } from './budgetLevel';

describe('budgetLevel', () => {
  it.each([
    [undefined, 'none'],
    [Number.NaN, 'none'],
    [0, 'ok'],
    [79.9, 'ok'],
    [80, 'warning'],
    [99.9, 'warning'],
    [100, 'exceeded'],
    [250, 'exceeded'],
  ])('%s %% is %s', (percent, level) => {
    expect(budgetLevel(percent)).toBe(level);
  });

  it('shows the percentage with the one decimal the backend keeps', () => {
    expect(formatBudgetPercent(82.5)).toBe('82.5 %');
    expect(formatBudgetPercent(100)).toBe('100.0 %');
  });
});
