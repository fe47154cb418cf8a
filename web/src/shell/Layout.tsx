import { useState } from "react";
import { NavLink, Outlet } from "react-router";
import { useAuth } from "../auth/AuthProvider";

const LINKS = [
  { to: "/", label: "Dashboard", end: true },
  { to: "/budget", label: "Budget" },
  { to: "/goals", label: "Goals" },
  { to: "/transactions", label: "Transactions" },
  { to: "/accounts", label: "Accounts" },
  { to: "/recurring", label: "Bills" },
  { to: "/debt", label: "Debt" },
  { to: "/import", label: "Import" },
  { to: "/assistant", label: "Assistant" },
];

/** The signed-in shell: a skip link, the navigation (a menu button on a phone), the page. */
export function Layout() {
  const auth = useAuth();
  const [open, setOpen] = useState(false);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Tyche</span>
        <button
          type="button"
          className="menu-button"
          aria-expanded={open}
          aria-controls="primary-nav"
          onClick={() => setOpen((o) => !o)}
        >
          Menu
        </button>
        <nav id="primary-nav" aria-label="Main" className={open ? "nav open" : "nav"}>
          <ul>
            {LINKS.map((l) => (
              <li key={l.to}>
                <NavLink to={l.to} end={l.end ?? false} onClick={() => setOpen(false)}>
                  {l.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="account-menu">
          <span className="user-name">{auth.user?.name}</span>
          <NavLink to="/settings/tokens" className="account-link">
            Access tokens
          </NavLink>
          <button type="button" onClick={auth.signOut}>
            Log out
          </button>
          <button
            type="button"
            onClick={() =>
              void auth
                .signOutEverywhere()
                .catch(() => window.alert("Could not log out everywhere; try again."))
            }
          >
            Log out everywhere
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
