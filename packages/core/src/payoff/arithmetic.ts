/**
 * round-half-up(a × b / d) for non-negative whole numbers, exactly. While a × b stays within
 * 2^53 the double product is exact and a remainder check corrects the quotient's rounding; above
 * it (a balance of 1e12 cents at 1,000 % APR is a 1e17 product) the product is taken in BigInt.
 */
export function mulDivHalfUp(a: number, b: number, d: number): number {
  const product = a * b;
  if (product <= Number.MAX_SAFE_INTEGER) {
    const n = product + Math.floor(d / 2);
    let q = Math.floor(n / d);
    // The double division can land one off when the quotient is large; the remainder says which way.
    const r = n - q * d;
    if (r < 0) q -= 1;
    else if (r >= d) q += 1;
    return q;
  }
  const big = BigInt(a) * BigInt(b);
  const bd = BigInt(d);
  return Number((big * 2n + bd) / (bd * 2n));
}
