import { ApiError } from "../../api/client";
import { ErrorMessage } from "../../ui/ErrorMessage";

const where = (path: string) =>
  path === "file" ? "" : path.startsWith("options.") ? `Your choice of ${path.slice(8)}: ` : `${path}: `;

/**
 * A file the API refused, in its own words: each problem it named (the file's, or an option's),
 * rather than the generic title of a validation error.
 */
export function FileProblem({ error }: { error: unknown }) {
  if (!(error instanceof ApiError) || !error.problem.errors?.length) return <ErrorMessage error={error} />;
  const problems = error.problem.errors;
  return (
    <div role="alert" className="error file-problem">
      <p>Tyche could not read this file as it is:</p>
      <ul>
        {problems.map((e) => (
          <li key={`${e.path}:${e.message}`}>
            {where(e.path)}
            {e.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
