/** Scaffolding while the page is being built (issue 17). */
export default function AccountsPage() {
  return <h1>Accounts</h1>;
}
