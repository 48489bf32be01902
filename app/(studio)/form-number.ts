// Numbers typed into the Studio's forms: "1,000", "$2.50" and "8 192" are read; "1e3" and other notations are not.

/** Digits with an optional sign and decimal point: what a person types for an amount or a count. */
const PLAIN_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)$/;

const stripped = (raw: string | undefined) => (raw ?? '').replace(/[$,_\s]/g, '');

/** "" → undefined; "$1,250.50" → 1250.5; "8,192" → 8192; anything else ("lots", "1e3", "0x10") → NaN, which the schemas report. */
export function formNumber(raw: string | undefined): number | undefined {
  const text = stripped(raw);
  if (text === '') return undefined;
  return PLAIN_NUMBER.test(text) ? Number(text) : Number.NaN;
}

/**
 * The message for a number in a notation people do not mean to type ("1e3" is $1,000, "0x10" is 16), naming the
 * field; undefined when the text is plain, empty or not a number at all (the schema says "must be a number" then).
 */
export function notationIssue(label: string, raw: string | undefined): string | undefined {
  const text = stripped(raw);
  if (text === '' || PLAIN_NUMBER.test(text) || !Number.isFinite(Number(text))) return undefined;
  return `${label} must be written out in digits, e.g. 1000 or 2.50 (not “${text}”).`;
}
