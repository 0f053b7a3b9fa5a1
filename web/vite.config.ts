/**
 * The web app's build (`npm run build:web`, and `npm start` when web/dist is missing or older than
 * web/src). Vite's own transform (oxc) compiles TypeScript and JSX (React's automatic runtime), so
 * no React plugin is needed. The SDK's browser entries (resident, auditor, wire) are imported by their
 * package names; these aliases point them at the SDK's sources, so the app is built from the same
 * code the SDK's tests check, and moving to the published package is a change of these lines.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here("."),
  base: "/",
  publicDir: here("public"),
  resolve: {
    alias: {
      "@city-points/sdk/wire": here("../sdk/src/entries/wire.ts"),
      "@city-points/sdk/resident": here("../sdk/src/entries/resident.ts"),
      "@city-points/sdk/auditor": here("../sdk/src/entries/auditor.ts"),
    },
  },
  oxc: { jsx: { runtime: "automatic" } },
  build: {
    outDir: here("dist"),
    emptyOutDir: true,
    target: "es2022",
    // The relay's content security policy allows no inline script, so nothing may be inlined as one.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    // dist/.vite/manifest.json: which chunks each page loads (npm run bench:web weighs a resident's first page
    // with it). The relay does not serve it: express.static ignores dot-folders.
    manifest: true,
  },
  server: {
    // `npx vite web` during development: the API comes from a running `npm start`.
    proxy: { "/v1": "http://127.0.0.1:8080" },
  },
});
