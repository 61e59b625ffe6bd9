import { describe, expect, it } from 'vitest';
import { PALETTES } from '../../../functions/page/styles.js';

/** WCAG 2.x relative luminance and contrast ratio. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('the palettes (WCAG AA)', () => {
  for (const [name, p] of Object.entries(PALETTES)) {
    it(`${name}: text at least 4.5:1, bar colours at least 3:1, on both backgrounds`, () => {
      for (const background of [p.bg, p.card]) {
        // State colours are also used for text (the state words), so they need 4.5:1 too.
        for (const text of [p.fg, p.muted, p.ok, p.warn, p.bad]) {
          expect(contrast(text, background), `${text} on ${background}`).toBeGreaterThanOrEqual(4.5);
        }
        expect(contrast(p.none, background), `${p.none} on ${background}`).toBeGreaterThanOrEqual(3);
      }
      // The tooltip is the background colour on the text colour.
      expect(contrast(p.bg, p.fg)).toBeGreaterThanOrEqual(4.5);
    });
  }
});
