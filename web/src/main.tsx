import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import { loadRuntimeConfig } from "./auth/runtime-config";
import "./styles.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");
// How this deployment signs in is known before the first page: the login page differs by it.
loadRuntimeConfig().then(
  (config) =>
    createRoot(root).render(
      <StrictMode>
        <App config={config} />
      </StrictMode>,
    ),
  (err: unknown) => {
    // No app to show without knowing how to sign in: say why, for whoever runs this Tyche.
    const main = document.createElement("main");
    main.className = "auth-page";
    const heading = document.createElement("h1");
    heading.textContent = "Tyche cannot start";
    const text = document.createElement("p");
    text.setAttribute("role", "alert");
    text.textContent = err instanceof Error ? err.message : String(err);
    main.append(heading, text);
    root.replaceChildren(main);
  },
);
