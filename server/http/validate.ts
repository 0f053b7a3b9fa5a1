/** zod parsing that fails with a 400 naming each offending field. */
import type { z } from "zod";
import { InvalidRequestError } from "../errors";

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), "");
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, where: "body" | "query" | "params"): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => {
    const keys = issue.code === "unrecognized_keys" ? (issue as { keys: string[] }).keys : undefined;
    const base = formatPath(issue.path);
    const path = keys ? keys.map((k) => (base ? `${base}.${k}` : k)).join(", ") : base;
    return { path: `${where}${path ? `.${path}` : ""}`, message: keys ? `unknown field(s): ${keys.join(", ")}` : issue.message };
  });
  throw new InvalidRequestError(`invalid ${where}: ${details.map((d) => `${d.path}: ${d.message}`).join("; ")}`.slice(0, 500), { details });
}
