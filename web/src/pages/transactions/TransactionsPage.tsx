/** Scaffolding while the page is being built (issue 17). */
export default function TransactionsPage() {
  return <h1>Transactions</h1>;
}
