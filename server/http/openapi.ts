/** The OpenAPI 3.1 document, generated from the route declarations and their zod schemas. */
import { z } from "zod";
import { HEADER_IDEMPOTENCY_KEY, HEADER_KEY_ID, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP, REQUEST_SIGNATURE_V2 } from "../../sdk/src/auth";
import { errorResponseSchema } from "../../sdk/src/wire/errors";
import type { RouteDef } from "./route";

type Components = Record<string, unknown>;

/** Rewrites zod's local $defs references to OpenAPI components. */
function relink(value: unknown, rename: (id: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => relink(v, rename));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, k === "$ref" && typeof v === "string" && v.startsWith("#/$defs/") ? `#/components/schemas/${rename(v.slice(8))}` : relink(v, rename)]),
    );
  }
  return value;
}

/** JSON Schema of a zod schema; named schemas (meta id) go to components and are referenced. */
function jsonSchema(schema: z.ZodType, io: "input" | "output", components: Components = {}): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as Record<string, unknown>;
  const defs = (out.$defs ?? {}) as Record<string, unknown>;
  const rename = (id: string) => (io === "input" && components[id] !== undefined && JSON.stringify(components[id]) !== JSON.stringify(relink(defs[id], (x) => x)) ? `${id}Input` : id);
  for (const [id, def] of Object.entries(defs)) components[rename(id)] = relink(def, rename);
  delete out.$schema;
  delete out.$defs;
  return relink(out, rename) as Record<string, unknown>;
}

function parameters(schema: z.ZodType | undefined, where: "path" | "query", components: Components) {
  if (!schema) return [];
  const js = jsonSchema(schema, "input", components) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === "path" || (js.required ?? []).includes(name),
    schema: s,
  }));
}

export function openApiDocument(defs: RouteDef[], info: { version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const components: Components = {};
  const errorRef = { $ref: "#/components/schemas/ErrorResponse" };
  for (const def of defs) {
    const path = def.path.replace(/:([A-Za-z]+)/g, "{$1}");
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(def.responses)) {
      responses[status] = r.schema
        ? { description: r.description, content: { [r.contentType ?? "application/json"]: { schema: jsonSchema(r.schema, "output", components) } } }
        : { description: r.description };
    }
    for (const [status, description] of Object.entries(defaultErrors(def))) {
      responses[status] ??= { description, content: { "application/json": { schema: errorRef } } };
    }
    const headerParams = def.write
      ? [{ name: HEADER_IDEMPOTENCY_KEY, in: "header", required: true, schema: { type: "string", pattern: "^[A-Za-z0-9_.:-]{1,128}$" } }]
      : [];
    (paths[path] ??= {})[def.method] = {
      summary: def.summary,
      ...(def.description ? { description: def.description } : {}),
      tags: [def.tag],
      ...(def.auth === "agency" ? { security: [{ agencySignature: [] }] } : def.auth === "optional" ? { security: [{ agencySignature: [] }, {}] } : {}),
      parameters: [...parameters(def.params, "path", components), ...parameters(def.query, "query", components), ...headerParams],
      ...(def.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(def.body, "input", components) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "City points exchange relay",
      version: info.version,
      description:
        "Agencies issue, redeem, agree rates and settle; residents' apps submit signed intents. Amounts are decimal strings. " +
        "Every write answers 202 with operation ids at once; follow them by GET /v1/operations/{id}, the SSE stream or webhooks.",
    },
    servers: [{ url: "/" }],
    paths,
    components: {
      schemas: { ...components, ErrorResponse: jsonSchema(errorResponseSchema, "output", components) },
      securitySchemes: {
        agencySignature: {
          type: "apiKey",
          in: "header",
          name: HEADER_SIGNATURE,
          description:
            `HMAC-SHA256 request signature, version 2 (sdk/src/auth.ts; docs/relay.md has test vectors): headers ${HEADER_KEY_ID}, ${HEADER_TIMESTAMP} ` +
            `(unix seconds, within the replay window), ${HEADER_NONCE} (once per window) and ${HEADER_SIGNATURE}: ` +
            `v2=<hex HMAC of ${REQUEST_SIGNATURE_V2}\\nMETHOD\\nHOST\\nPATH?QUERY\\nTIMESTAMP\\nNONCE\\nIDEMPOTENCY-KEY\\nSHA256(BODY)>.`,
        },
      },
    },
  };
}

function defaultErrors(def: RouteDef): Record<string, string> {
  const errors: Record<string, string> = { "400": "invalid request (details name the field)", "429": "rate limited (Retry-After)" };
  if (def.auth !== "public") errors["401"] = "missing, stale, replayed or wrong request signature";
  if (def.auth === "agency") errors["403"] = "another agency's domain or signer";
  if (def.write) {
    Object.assign(errors, { "409": "Idempotency-Key reused with another body, or claim id / intent nonce taken", "413": "body too large", "503": "queue full or chain unavailable (Retry-After)" });
  }
  return errors;
}
