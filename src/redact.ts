/**
 * The one redactor: every sensitive value (token, Basic value, username, secret, passphrase, keys,
 * links) is cut out of a text in every form it takes on the wire. A server or a proxy that echoes the
 * request in an error message echoes these forms, not the value as the caller typed it:
 *   - as given, trimmed, and with its control characters collapsed to one space;
 *   - each line of a multi-line value (runners mask line by line; a server may quote one line);
 *   - `encodeURIComponent`, and `application/x-www-form-urlencoded` (`+` for a space), with upper- or
 *     lower-case hex digits;
 *   - JSON-escaped (`\"`, `\n`, `\t`), as is and with non-ASCII as `\uXXXX`;
 *   - base64 (standard and URL-safe).
 * The CLI, the action and the core's error mapping all use this module.
 */

/** Shorter forms would cut ordinary words out of messages; the service refuses passphrases under 4. */
export const MIN_REDACTED_LENGTH = 3;

const CONTROL_RUNS = /\p{Cc}+/gu;
const LINE_BREAK = /\r\n|\r|\n/;

/** Control characters collapsed to one space (what a server or a log line may have made of them). */
export function collapseControls(text: string): string {
  return text.replace(CONTROL_RUNS, ' ');
}

function formEncoded(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

function jsonEscaped(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

function jsonEscapedAscii(value: string): string {
  return jsonEscaped(value).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const UPPER_HEX_ESCAPE = /%(?:[A-F][0-9A-F]|[0-9][A-F])/g;

function lowerHex(encoded: string): string {
  return encoded.replace(UPPER_HEX_ESCAPE, (hex) => hex.toLowerCase());
}

function base64Forms(value: string): string[] {
  const standard = Buffer.from(value, 'utf8').toString('base64');
  return [standard, standard.replace(/=+$/, ''), Buffer.from(value, 'utf8').toString('base64url')];
}

/** The texts a value is derived from: itself, trimmed, collapsed, and each of its lines. */
function baseTexts(value: string): Set<string> {
  const collapsedValue = collapseControls(value);
  const texts = new Set([value, value.trim(), collapsedValue, collapsedValue.trim()]);
  if (LINE_BREAK.test(value)) for (const line of value.split(LINE_BREAK)) texts.add(line).add(line.trim());
  return texts;
}

/** Every wire form of one value, long enough to redact. */
export function wireForms(value: string): string[] {
  const forms = new Set<string>();
  for (const text of baseTexts(value)) {
    if (text.length < MIN_REDACTED_LENGTH) continue;
    const uri = encodeURIComponent(text);
    const form = formEncoded(text);
    for (const f of [
      text,
      uri,
      lowerHex(uri),
      form,
      lowerHex(form),
      jsonEscaped(text),
      jsonEscapedAscii(text),
    ])
      forms.add(f);
    for (const f of base64Forms(text)) forms.add(f);
  }
  return [...forms].filter((form) => form.length >= MIN_REDACTED_LENGTH);
}

/** Collects sensitive values and cuts all their wire forms out of texts, longest first. */
export class Redactor {
  readonly #mask: string;
  readonly #values = new Set<string>();
  #forms: string[] | undefined;

  constructor(mask = '[redacted]') {
    this.#mask = mask;
  }

  /** Adds values (empty and missing ones are skipped). */
  add(...values: (string | undefined | null)[]): this {
    for (const value of values) {
      if (!value || this.#values.has(value)) continue;
      this.#values.add(value);
      this.#forms = undefined;
    }
    return this;
  }

  /** Every form redacted, longest first (so a link goes whole, not around its key). */
  forms(): readonly string[] {
    if (this.#forms === undefined) {
      const all = new Set([...this.#values].flatMap(wireForms));
      this.#forms = [...all].sort((a, b) => b.length - a.length);
    }
    return this.#forms;
  }

  redact(text: string): string {
    let out = text;
    for (const form of this.forms()) if (out.includes(form)) out = out.split(form).join(this.#mask);
    return out;
  }
}

/** `text` with every wire form of `sensitive` replaced by `[redacted]`. */
export function redact(text: string, sensitive: readonly (string | undefined)[]): string {
  return new Redactor().add(...sensitive).redact(text);
}

/**
 * Text from a server (untrusted), made safe to put in a message: control characters collapsed first
 * (every value has a collapsed form, so `a\nb` sent and echoed as `a\r\nb` or `a b` still matches),
 * sensitive values cut out in every form, anything key-like removed, and at most `max` characters.
 */
export function untrustedText(text: string, sensitive: readonly (string | undefined)[], max = 160): string {
  let out = new Redactor().add(...sensitive).redact(collapseControls(text));
  out = out.replace(/[A-Za-z0-9_+/=%-]{20,}/g, '[redacted]').trim();
  return out.length > max ? `${[...out].slice(0, max).join('')}...` : out;
}
