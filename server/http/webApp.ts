/**
 * The web app (web/dist, built by `npm run build:web`) as static files on the relay's own port.
 * Vite names every built asset by its content's hash, so assets/ is cached for a year; index.html,
 * which names the current assets, is never used from a cache without asking. Any other GET that a
 * browser navigates to (it asks for text/html), whose last segment has no file extension and that is
 * not one of the relay's own paths, is a route of the app: it gets index.html and the app's router
 * shows the page (or its own "not found").
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import express, { Router, type NextFunction, type Request, type Response } from "express";
import { NotFoundError } from "../errors";

/** Paths the relay answers itself; the app's routes never shadow them. */
export const RELAY_PATHS = ["/v1", "/rpc", "/health", "/ready", "/metrics", "/openapi.json"] as const;

const YEAR_SECONDS = 365 * 24 * 3600;

export function isRelayPath(path: string): boolean {
  return RELAY_PATHS.some((p) => path === p || path.startsWith(`${p}/`));
}

function isAppRoute(req: Request): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  if (isRelayPath(req.path)) return false;
  if (/\.[^/]*$/.test(req.path)) return false;
  return /\btext\/html\b/.test(req.headers.accept ?? "");
}

/** The app's router; where `dir` holds no built app, its routes answer 404 saying how to build it. */
export function webApp(dir: string): Router {
  const indexHtml = join(dir, "index.html");
  const router = Router();
  if (!existsSync(indexHtml)) {
    router.use((req: Request, _res: Response, next: NextFunction) => {
      next(isAppRoute(req) ? new NotFoundError(`the web app is not built in ${dir}: run \`npm run build:web\``) : undefined);
    });
    return router;
  }
  router.use(
    "/assets",
    express.static(join(dir, "assets"), {
      index: false,
      fallthrough: true,
      setHeaders: (res) => res.setHeader("Cache-Control", `public, max-age=${YEAR_SECONDS}, immutable`),
    }),
  );
  router.use(
    express.static(dir, {
      index: false,
      fallthrough: true,
      setHeaders: (res) => res.setHeader("Cache-Control", "no-cache"),
    }),
  );
  router.use((req: Request, res: Response, next: NextFunction) => {
    if (!isAppRoute(req)) return next();
    res.setHeader("Cache-Control", "no-cache");
    res.sendFile(indexHtml, (error) => {
      if (error) next(error);
    });
  });
  return router;
}
