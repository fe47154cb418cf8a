import { Link, useLocation, useNavigate } from "react-router";

export type AuthMode = "login" | "signup";

/** Where to go once signed in: the page the user was on (an expired session included), never off-site. */
export function useAfterSignIn(): () => void {
  const navigate = useNavigate();
  const next = new URLSearchParams(useLocation().search).get("next") ?? "/";
  return () => navigate(next.startsWith("/") && !next.startsWith("//") ? next : "/", { replace: true });
}

/** The links between the two forms, keeping `next`. */
export function OtherForm({ mode }: { mode: AuthMode }) {
  const { search } = useLocation();
  return (
    <p>
      {mode === "login" ? (
        <>
          New here? <Link to={`/signup${search}`}>Create an account</Link>
        </>
      ) : (
        <>
          Have an account? <Link to={`/login${search}`}>Log in</Link>
        </>
      )}
    </p>
  );
}
