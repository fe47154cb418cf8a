import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { WebConfig } from "@tyche/types";
import { Suspense } from "react";
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router";
import { ApiError } from "../api/client";
import { AuthPage } from "../auth/AuthPage";
import { AuthProvider, useAuth } from "../auth/AuthProvider";
import { Layout } from "../shell/Layout";
import { pages } from "./routes";

const queries = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      // A 4xx will not get better by asking again.
      retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
    },
  },
});

function RequireSession({ children }: { children: React.ReactNode }) {
  const { user } = useAuth();
  const location = useLocation();
  if (!user) {
    const next = encodeURIComponent(`${location.pathname}${location.search}`);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  return <>{children}</>;
}

/** Signed in on /login or /signup: on to where the user was going (`next`), as AuthPage navigates. */
function SignedIn() {
  const next = new URLSearchParams(useLocation().search).get("next") ?? "/";
  return <Navigate to={next.startsWith("/") && !next.startsWith("//") ? next : "/"} replace />;
}

function Routed() {
  const { user } = useAuth();
  return (
    <Routes>
      <Route path="/login" element={user ? <SignedIn /> : <AuthPage mode="login" />} />
      <Route path="/signup" element={user ? <SignedIn /> : <AuthPage mode="signup" />} />
      <Route
        element={
          <RequireSession>
            <Layout />
          </RequireSession>
        }
      >
        {pages.map(({ path, Page }) => (
          <Route
            key={path}
            path={path}
            element={
              <Suspense fallback={<p className="loading">Loading…</p>}>
                <Page />
              </Suspense>
            }
          />
        ))}
      </Route>
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}

/** The app, signing in as `config` (the deployment's /config.json) says. */
export function App({ config }: { config: WebConfig }) {
  return (
    <QueryClientProvider client={queries}>
      <AuthProvider config={config}>
        <BrowserRouter>
          <Routed />
        </BrowserRouter>
      </AuthProvider>
    </QueryClientProvider>
  );
}
