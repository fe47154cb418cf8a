/** Scaffolding while the page is being built (issue 17). */
export default function RegisterPage() {
  return <h1>Account</h1>;
}
