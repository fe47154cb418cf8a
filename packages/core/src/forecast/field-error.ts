/**
 * A RangeError that names the input field it is about, so a caller (an AI tool, an API route) can
 * report the field without parsing the message.
 */
export class FieldRangeError extends RangeError {
  constructor(
    readonly field: string,
    /** The message without the field's name. */
    readonly reason: string,
  ) {
    super(`${field} ${reason}`);
    this.name = "FieldRangeError";
  }
}

/** Refuses anything that is not whole cents from `min`, naming the field. */
export function checkCents(field: string, value: number, min = 0): void {
  if (!Number.isSafeInteger(value) || value < min) {
    const from = min === Number.MIN_SAFE_INTEGER ? "" : ` from ${min}`;
    throw new FieldRangeError(field, `must be a whole number of cents${from}, not ${value}`);
  }
}
