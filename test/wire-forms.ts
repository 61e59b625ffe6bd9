/**
 * For the no-leak tests: values that encodings change, and the forms they take on the wire, written
 * out here (not taken from src/redact.ts, the code under test).
 */
import fc from 'fast-check';

/** Control characters collapsed to one space, then trimmed. */
export const collapsed = (value: string) => value.replace(/\p{Cc}+/gu, ' ').trim();

/** Free text with spaces, quotes, & % + = \, newlines, tabs and non-ASCII, at least 8 visible characters. */
export function encodableText(maxLength: number, { lineBreaks = true } = {}): fc.Arbitrary<string> {
  const controls = lineBreaks ? ['\n', '\t', '\r\n', '\n\n', '\t\n'] : ['\t'];
  return fc
    .array(
      fc.oneof(
        { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }) },
        { weight: 1, arbitrary: fc.constantFrom(...controls) },
        {
          weight: 2,
          arbitrary: fc.constantFrom(
            ' ',
            '"',
            "'",
            '&',
            '%',
            '+',
            '=',
            '\\',
            ' & ',
            'p@ss word!',
            'é',
            '日本語',
            '🙂',
          ),
        },
      ),
      { minLength: 1, maxLength: 12 },
    )
    .map((parts) => [...parts.join('')].slice(0, maxLength).join(''))
    .filter((s) => s.length >= 8 && collapsed(s).length >= 8 && (lineBreaks || !/[\r\n]/.test(s)));
}

/**
 * Each value as it is, with its control characters collapsed, each line of 8 or more characters, and
 * each of those percent-encoded, form-encoded, JSON-escaped and base64.
 */
export function wireForms(values: readonly string[]): string[] {
  const forms = values.flatMap((value) => {
    const lines = value.split(/\r\n|\r|\n/).filter((line) => line.trim().length >= 8);
    return [value, collapsed(value), ...lines].flatMap((text) => [
      text,
      encodeURIComponent(text),
      new URLSearchParams({ v: text }).toString().slice(2),
      JSON.stringify(text).slice(1, -1),
      Buffer.from(text).toString('base64'),
    ]);
  });
  return [...new Set(forms)].filter((form) => form.length >= 8);
}
