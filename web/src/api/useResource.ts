/** Loads something from the relay for a page: loading, loaded or failed, reloaded when its key changes. */
import { useCallback, useEffect, useState } from "react";
import { ApiError } from "./client";

export type Resource<T> = { state: "loading" } | { state: "ok"; data: T } | { state: "error"; error: ApiError };

export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, key: string): Resource<T> & { reload(): void } {
  const [resource, setResource] = useState<Resource<T>>({ state: "loading" });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setResource({ state: "loading" });
    load(controller.signal).then(
      (data) => setResource({ state: "ok", data }),
      (error: unknown) => {
        if ((error as Error).name === "AbortError") return;
        setResource({ state: "error", error: error instanceof ApiError ? error : new ApiError("other", String(error)) });
      },
    );
    return () => controller.abort();
    // `load` is rebuilt on every render; `key` names what it loads, so only a new key (or a retry) reloads.
  }, [key, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...resource, reload };
}
