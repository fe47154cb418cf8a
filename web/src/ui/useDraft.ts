import { useCallback, useEffect, useState } from "react";

/**
 * Form state that survives a reload and an expired session: kept in sessionStorage under `key`
 * until `clear` is called (after a successful save).
 */
export function useDraft<T>(key: string, initial: T): [T, (next: T | ((prev: T) => T)) => void, () => void] {
  const storageKey = `tyche.draft.${key}`;
  const [value, setValue] = useState<T>(() => {
    try {
      const raw = sessionStorage.getItem(storageKey);
      return raw ? (JSON.parse(raw) as T) : initial;
    } catch {
      return initial;
    }
  });
  useEffect(() => {
    sessionStorage.setItem(storageKey, JSON.stringify(value));
  }, [storageKey, value]);
  const clear = useCallback(() => sessionStorage.removeItem(storageKey), [storageKey]);
  return [value, setValue, clear];
}
