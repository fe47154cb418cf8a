/** Scaffolding while the page is being built (issue 17). */
export default function SpendingDashboard() {
  return <h1>Dashboard</h1>;
}
