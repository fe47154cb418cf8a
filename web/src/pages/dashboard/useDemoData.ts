import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../api/client";
import { refreshMoney } from "../../api/queries";
import { today } from "../../ui/format";
import { type DemoProgress, runDemo } from "./demo-runner";

/** Fills an empty account with six months of demo data, reporting each step as it goes. */
export function useDemoData() {
  const queries = useQueryClient();
  const [progress, setProgress] = useState<DemoProgress | undefined>();
  const mutation = useMutation({
    mutationFn: () => runDemo(api, { today: today(), onProgress: setProgress }),
    // Refetched after a failure too: whatever was written before it shows.
    onSettled: () => refreshMoney(queries),
  });
  return { ...mutation, progress };
}
export type DemoData = ReturnType<typeof useDemoData>;
