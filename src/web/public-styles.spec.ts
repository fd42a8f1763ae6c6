import { CONTRAST_PAIRS, PALETTE } from './public-styles.js';

/** WCAG 2 relative luminance and contrast ratio. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((index) => {
    const channel = parseInt(hex.slice(index, index + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

describe('the public palette', () => {
  it.each(CONTRAST_PAIRS)('%s on %s meets WCAG AA for body text (4.5:1)', (foreground, background) => {
    expect(contrast(PALETTE[foreground], PALETTE[background])).toBeGreaterThanOrEqual(4.5);
  });
});
