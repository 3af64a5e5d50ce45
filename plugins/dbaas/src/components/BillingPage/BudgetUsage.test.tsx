import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { BudgetUsage } from './BudgetUsage';

function bar(percentText: string) {
  const progress = screen.getByRole('progressbar', {
    name: `Budget used: ${percentText}`,
  });
  const fill = progress.firstElementChild as HTMLElement;
  return { progress, fill };
}

describe('BudgetUsage', () => {
  it('draws 0.1 % as an almost empty bar on a neutral track', async () => {
    await renderInTestApp(<BudgetUsage budgetUsedPercent={0.1} />);
    const { progress, fill } = bar('0.1 %');
    expect(progress).toHaveAttribute('aria-valuenow', '0');
    // The fill is moved 99.9 % out of the track.
    expect(fill.style.transform).toBe('translateX(-99.9%)');
    // The track is grey, not a tint of the primary (or the bar's) color.
    const track = getComputedStyle(progress).backgroundColor;
    expect(track).toBe('rgb(224, 224, 224)');
    expect(screen.getByText('0.1 %')).toBeInTheDocument();
  });

  it('fills the bar to 100 % at most, in words too when over', async () => {
    await renderInTestApp(<BudgetUsage budgetUsedPercent={150} />);
    const { fill } = bar('150.0 %');
    expect(fill.style.transform).toBe('translateX(0%)');
    expect(screen.getByText('150.0 % · over budget')).toBeInTheDocument();
  });

  it('says when there is no budget', async () => {
    await renderInTestApp(<BudgetUsage />);
    expect(screen.getByText('no budget')).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
  });
});
