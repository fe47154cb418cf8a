import { useEffect, useRef, useState } from "react";

/**
 * A form's focus after a refused submit (by its own checks or by the API): the first field in
 * error takes it, so that it is read out. Give `form` to the form and call `refused()` each time.
 */
export function useRefusalFocus() {
  const form = useRef<HTMLFormElement>(null);
  const [refusals, setRefusals] = useState(0);
  useEffect(() => {
    if (refusals > 0) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [refusals]);
  return { form, refused: () => setRefusals((n) => n + 1) };
}
