import { Pie, PieChart } from "recharts";

export interface Slice {
  id: string;
  name: string;
  value: number;
  fill: string;
}

/**
 * The allocation as a pie (recharts, loaded with this module only). Drawn without animation so it
 * follows the sliders at once; the list beside it is its text alternative.
 */
export default function AllocationChart({ slices }: { slices: readonly Slice[] }) {
  return (
    <PieChart width={220} height={220} accessibilityLayer={false}>
      <Pie
        data={[...slices]}
        dataKey="value"
        nameKey="name"
        cx="50%"
        cy="50%"
        innerRadius={50}
        outerRadius={100}
        stroke="none"
        isAnimationActive={false}
      />
    </PieChart>
  );
}
