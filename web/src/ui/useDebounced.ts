import { useEffect, useState } from "react";

/**
 * `value` once it has stayed the same for `ms`: a slider or a search asks the API when it comes to
 * rest, not at every step or key.
 */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
