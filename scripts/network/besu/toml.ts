/** The few TOML value kinds Besu's config and permissions files need: strings, integers, booleans, lists of strings. */
export type TomlValue = string | number | boolean | string[];

function value(v: TomlValue): string {
  if (Array.isArray(v)) return `[${v.map((s) => JSON.stringify(s)).join(",")}]`;
  if (typeof v === "string") {
    if (!/^[\x20-\x7e]*$/.test(v)) throw new Error(`only printable ASCII strings are written to TOML: ${JSON.stringify(v)}`);
    return JSON.stringify(v); // a JSON string of printable ASCII is a TOML basic string
  }
  if (typeof v === "number" && !Number.isSafeInteger(v)) throw new Error(`only integers are written to TOML: ${v}`);
  return String(v);
}

export function toToml(entries: Record<string, TomlValue>, header: string[] = []): string {
  return [...header.map((h) => `# ${h}`), ...Object.entries(entries).map(([k, v]) => `${k}=${value(v)}`)].join("\n") + "\n";
}
