/**
 * What a first visit to a page of the web app downloads: from Vite's build manifest
 * (web/dist/.vite/manifest.json), the entry chunk and the route's page chunk with every chunk they
 * import statically, gzipped. Which page module a route loads is read from web/src/App.tsx (its
 * lazy imports and `<Route>`s) and web/src/paths.ts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ROOT } from "../../lib/processes";
import { WEB_DIST } from "../../lib/webBuild";

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}

export interface RouteBundle {
  route: string;
  /** The page's module, e.g. src/pages/HomePage.tsx. */
  module: string;
  /** The JavaScript files a first visit loads. */
  files: string[];
  gzipKb: number;
}

/** The page module each route of App.tsx loads. */
export function routeModules(): Map<string, string> {
  const app = readFileSync(join(ROOT, "web", "src", "App.tsx"), "utf8");
  const pathsTs = readFileSync(join(ROOT, "web", "src", "paths.ts"), "utf8");
  const paths = new Map([...pathsTs.matchAll(/^\s*(\w+): "([^"]+)"/gm)].map((m) => [m[1], m[2]]));
  const lazies = new Map([...app.matchAll(/const (\w+) = lazy\(\(\) => import\("\.\/([^"]+)"\)\)/g)].map((m) => [m[1], `src/${m[2]}.tsx`]));
  const routes = new Map<string, string>();
  for (const m of app.matchAll(/<Route path=(?:\{paths\.(\w+)\}|"([^"]+)") component=\{(\w+)\}/g)) {
    const route = m[1] ? paths.get(m[1]) : m[2];
    const module = lazies.get(m[3]);
    if (route && module) routes.set(route, module);
  }
  return routes;
}

/** The gzipped JavaScript of a first visit to `route`; undefined if the app has no such route. */
export function routeBundle(route: string): RouteBundle | undefined {
  const module = routeModules().get(route);
  if (!module) return undefined;
  const manifest = JSON.parse(readFileSync(join(WEB_DIST, ".vite", "manifest.json"), "utf8")) as Record<string, ManifestChunk>;
  const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
  if (!entry || !manifest[module]) throw new Error(`the build manifest has no ${entry ? module : "entry"}: build the web app again`);
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of manifest[key].imports ?? []) visit(imported);
  };
  visit(entry);
  visit(module);
  const files = [...seen].map((k) => manifest[k].file).filter((f) => f.endsWith(".js"));
  const bytes = files.reduce((sum, f) => sum + gzipSync(readFileSync(join(WEB_DIST, f)), { level: 9 }).length, 0);
  return { route, module, files, gzipKb: Math.round((bytes / 1024) * 10) / 10 };
}
