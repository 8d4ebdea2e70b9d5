/**
 * NHS numbers: ten digits, the last a Modulus 11 check digit over the first nine
 * (test-data.md §1.1). Used to validate inbound identifiers and to build synthetic patients.
 */

/** Weights for digits 1–9: the first digit is multiplied by 10, the ninth by 2. */
const WEIGHTS = [10, 9, 8, 7, 6, 5, 4, 3, 2] as const;

/**
 * The check digit for the first nine digits of an NHS number, or `undefined` when the remainder
 * rule gives 10: no valid NHS number starts with those nine digits.
 *
 * @throws RangeError when `nineDigits` is not exactly nine ASCII digits.
 */
export function nhsNumberCheckDigit(nineDigits: string): number | undefined {
  if (!/^\d{9}$/.test(nineDigits)) {
    throw new RangeError(`expected nine digits, got ${JSON.stringify(nineDigits)}`);
  }
  let sum = 0;
  WEIGHTS.forEach((weight, i) => {
    sum += weight * (nineDigits.charCodeAt(i) - 48);
  });
  const check = 11 - (sum % 11);
  if (check === 10) return undefined;
  return check === 11 ? 0 : check;
}

/**
 * True when `s` is exactly ten digits whose last digit is the Modulus 11 check digit of the first
 * nine. Spaces or other separators are not accepted: strip them first if the source allows them.
 */
export function isValidNhsNumber(s: string): boolean {
  if (!/^\d{10}$/.test(s)) return false;
  return nhsNumberCheckDigit(s.slice(0, 9)) === s.charCodeAt(9) - 48;
}

/**
 * The usual 3-3-4 display form, e.g. "9434765919" → "943 476 5919". Whitespace in the input is
 * ignored; anything that is not then ten digits is returned unchanged, so the function is safe for
 * showing whatever a message carried.
 */
export function formatNhsNumber(s: string): string {
  const digits = s.replace(/\s+/g, "");
  if (!/^\d{10}$/.test(digits)) return s;
  return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}
