import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/** The API the dev server forwards to (`npm start` serves the built app and the API together). */
const API = process.env.TYCHE_API ?? "http://localhost:3000";

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    // The build prints every chunk with its gzipped size; the entry must stay under 250 KB.
    reportCompressedSize: true,
    chunkSizeWarningLimit: 600,
  },
  // config.json too: the dev server signs in as the API server it forwards to does.
  server: { proxy: { "/v1": API, "/config.json": API } },
});
