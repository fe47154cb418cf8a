/** Scaffolding while the page is being built (issue 17). */
export default function BudgetSetupPage() {
  return <h1>Budget</h1>;
}
