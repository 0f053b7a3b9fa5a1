/**
 * A strict reader for the TOML subset Besu's config and permissions files use here: comments, and
 * `key=value` lines whose value is a basic string, an integer, a boolean or an array of basic strings.
 * Anything else is an error, so a test fails on output Besu might read differently.
 */
export function parseTomlSubset(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [i, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([A-Za-z0-9-]+)=(.+)$/.exec(line);
    if (!match) throw new Error(`line ${i + 1} is not key=value: ${raw}`);
    const [, key, value] = match;
    if (key in out) throw new Error(`line ${i + 1}: ${key} set twice`);
    const isString = /^"([^"\\]|\\.)*"$/.test(value);
    const isArray = /^\[("([^"\\]|\\.)*"(,"([^"\\]|\\.)*")*)?\]$/.test(value);
    if (!(isString || isArray || /^-?\d+$/.test(value) || value === "true" || value === "false")) throw new Error(`line ${i + 1}: unsupported value ${value}`);
    out[key] = JSON.parse(value);
  }
  return out;
}
