import { COST_COMPONENTS, COST_COMPONENT_COLORS } from './costComponents';

/** sRGB hex to CIELAB (D65), for a perceptual color distance. */
function lab(hex: string): [number, number, number] {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const [r, g, b] = [channel(0), channel(1), channel(2)];
  const x = (r * 0.4124 + g * 0.3576 + b * 0.1805) / 0.95047;
  const y = r * 0.2126 + g * 0.7152 + b * 0.0722;
  const z = (r * 0.0193 + g * 0.1192 + b * 0.9505) / 1.08883;
  const f = (t: number) =>
    t > 216 / 24389 ? Math.cbrt(t) : ((t * 24389) / 27 + 16) / 116;
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

function deltaE(a: string, b: string): number {
  const [l1, a1, b1] = lab(a);
  const [l2, a2, b2] = lab(b);
  return Math.hypot(l1 - l2, a1 - a2, b1 - b2);
}

describe('COST_COMPONENT_COLORS', () => {
  it('gives every component its own color', () => {
    const colors = COST_COMPONENTS.map(c => COST_COMPONENT_COLORS[c.key]);
    expect(new Set(colors).size).toBe(COST_COMPONENTS.length);
    for (const color of colors) {
      expect(color).toMatch(/^#[0-9A-F]{6}$/);
    }
  });

  it('keeps used and idle compute, and every other pair, clearly apart', () => {
    // ΔE*ab above ~25 reads as a different color, not a shade.
    expect(
      deltaE(
        COST_COMPONENT_COLORS.computeUsed,
        COST_COMPONENT_COLORS.computeIdle,
      ),
    ).toBeGreaterThan(50);
    const pairs = COST_COMPONENTS.flatMap((a, i) =>
      COST_COMPONENTS.slice(i + 1).map(b => ({
        pair: `${a.key}/${b.key}`,
        far:
          deltaE(COST_COMPONENT_COLORS[a.key], COST_COMPONENT_COLORS[b.key]) >
          25,
      })),
    );
    expect(pairs).toHaveLength(10);
    expect(pairs.filter(p => !p.far)).toEqual([]);
  });
});
