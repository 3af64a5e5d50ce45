import {
  allocateCents,
  formatCents,
  microsPartsToCents,
  microsToCents,
} from './money';
import { seededRandom } from './testUtils';

const w = (...pairs: Array<[string, number]>) =>
  pairs.map(([key, weight]) => ({ key, weight }));

describe('allocateCents', () => {
  it.each([
    ['proportional, exact', 100, w(['a', 1], ['b', 3]), [25, 75]],
    ['largest remainder', 100, w(['a', 1], ['b', 1], ['c', 1]), [34, 33, 33]],
    ['tie goes to the smaller key', 1, w(['b', 1], ['a', 1]), [0, 1]],
    [
      'all zero weights: even split',
      10,
      w(['a', 0], ['b', 0], ['c', 0]),
      [4, 3, 3],
    ],
    ['zero weight gets nothing', 7, w(['a', 0], ['b', 2]), [0, 7]],
    ['zero total', 0, w(['a', 1]), [0]],
    ['nothing to split, nothing to give', 0, [], []],
    ['remainders decide', 10, w(['a', 0.26], ['b', 0.74]), [3, 7]],
  ])('%s', (_name, total, weights, expected) => {
    expect(allocateCents(total, weights)).toEqual(expected);
  });

  it.each([
    [-1, w(['a', 1])],
    [1.5, w(['a', 1])],
    [1, w(['a', -1])],
    [1, w(['a', NaN])],
    [1, []],
  ])('rejects total %p with weights %j', (total, weights) => {
    expect(() => allocateCents(total, weights)).toThrow(RangeError);
  });

  it('always sums to the total and stays within one unit of the exact share', () => {
    const rnd = seededRandom(42);
    for (let round = 0; round < 2000; round++) {
      const n = 1 + Math.floor(rnd() * 30);
      const weights = Array.from({ length: n }, (_, i) => ({
        key: `k${i}`,
        weight: rnd() < 0.2 ? 0 : rnd() * 1e6,
      }));
      const total = Math.floor(rnd() * 1e11);
      const parts = allocateCents(total, weights);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
      const sum = weights.reduce((a, b) => a + b.weight, 0);
      parts.forEach((p, i) => {
        const exact = sum ? (total * weights[i].weight) / sum : total / n;
        expect(Math.abs(p - exact)).toBeLessThan(1 + 1e-3);
      });
    }
  });
});

describe('microsPartsToCents', () => {
  it('rounds the total half up and keeps the parts summing to it', () => {
    expect(microsPartsToCents([5000, 5000, 5000])).toEqual({
      totalCents: 2,
      cents: [1, 1, 0],
    });
    expect(microsPartsToCents([4999])).toEqual({ totalCents: 0, cents: [0] });
    expect(microsPartsToCents([10000, 19999, 1])).toEqual({
      totalCents: 3,
      cents: [1, 2, 0],
    });
  });

  it('matches random sums exactly', () => {
    const rnd = seededRandom(7);
    for (let round = 0; round < 200; round++) {
      const micros = Array.from({ length: 1 + Math.floor(rnd() * 500) }, () =>
        Math.floor(rnd() * 1e8),
      );
      const { totalCents, cents } = microsPartsToCents(micros);
      expect(totalCents).toBe(microsToCents(micros.reduce((a, b) => a + b, 0)));
      expect(cents.reduce((a, b) => a + b, 0)).toBe(totalCents);
      cents.forEach((c, i) =>
        expect(Math.abs(c - micros[i] / 1e4)).toBeLessThan(1),
      );
    }
  });
});

it.each([
  [0, '0.00'],
  [5, '0.05'],
  [1234, '12.34'],
  [-150, '-1.50'],
])('formatCents(%p) = %p', (cents, text) => {
  expect(formatCents(cents)).toBe(text);
});
