/** Scaffolding while the page is being built (issue 17). */
export default function ImportPage() {
  return <h1>Import</h1>;
}
