/**
 * Reads a deployment plan (config/deploy/<network>.json). Addresses are public, so they may sit in the
 * file; a value written "$NAME" is read from the environment variable NAME instead, so each agency can
 * hand over its relay signer's address without editing a shared file. Amounts are decimal strings.
 */
import { readFileSync } from "node:fs";
import { getAddress, keccak256, toUtf8Bytes } from "ethers";
import { z } from "zod";
import { NetworkToolError } from "../errors";
import type { DeploymentPlan } from "../../lib/deploy";

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const UINT = /^[0-9]+$/;

function planSchema(env: NodeJS.ProcessEnv) {
  const address = z.string().transform((value, ctx) => {
    const resolved = value.startsWith("$") ? env[value.slice(1)] : value;
    if (resolved === undefined || resolved === "") {
      ctx.addIssue({ code: "custom", message: `environment variable ${value.slice(1)} is not set` });
      return z.NEVER;
    }
    if (!ADDRESS.test(resolved)) {
      ctx.addIssue({ code: "custom", message: `${value.startsWith("$") ? `${value} (${resolved})` : resolved} is not a 0x-prefixed 20-byte address` });
      return z.NEVER;
    }
    return getAddress(resolved);
  });
  const amount = (max: bigint) =>
    z
      .string()
      .regex(UINT, "must be a decimal string")
      .transform((s) => BigInt(s))
      .refine((n) => n <= max, `must be at most ${max}`);

  return z
    .object({
      councilMembers: z.array(address).min(2, "the council needs at least 2 members"),
      councilThreshold: z.number().int().min(2, "the council threshold must be at least 2"),
      pauser: address,
      /** Who adds community stations and appoints their staff (CommunityStations' registrar); the deployer when absent. */
      stationRegistrar: address.optional(),
      periodSeconds: z.number().int().positive().max(2 ** 32 - 1),
      /** Seconds a passkey recovery waits before it may be carried out (PasskeyAccounts: 1 to 90 days). */
      recoveryDelaySeconds: z.number().int().min(86_400).max(90 * 86_400).optional(),
      domains: z
        .array(
          z
            .object({
              name: z.string().min(1),
              agency: address,
              pointValue: z.number().int().positive(),
              residentCap: amount(2n ** 64n - 1n),
              transferable: z.boolean(),
              issuers: z.array(z.object({ address, quota: amount(2n ** 96n - 1n).refine((q) => q > 0n, "must be positive") }).strict()),
            })
            .strict(),
        )
        .min(1, "at least one domain"),
    })
    .strict()
    .refine((p) => p.councilThreshold <= p.councilMembers.length, {
      message: "councilThreshold cannot exceed the number of council members",
      path: ["councilThreshold"],
    })
    .refine((p) => new Set(p.councilMembers).size === p.councilMembers.length, {
      message: "a council member is listed twice",
      path: ["councilMembers"],
    });
}

/** Parses a plan object; the error names every field that is wrong. */
export function parsePlan(value: unknown, source: string, env: NodeJS.ProcessEnv = process.env): DeploymentPlan {
  const result = planSchema(env).safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new NetworkToolError("INVALID_PLAN", `${source} is not a valid deployment plan: ${problems.join("; ")}`, { problems });
  }
  return result.data;
}

export function readPlan(path: string, env: NodeJS.ProcessEnv = process.env): DeploymentPlan {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (cause) {
    throw new NetworkToolError("INVALID_PLAN", `cannot read deployment plan ${path}: ${(cause as Error).message}`, { path }, { cause });
  }
  return parsePlan(raw, path, env);
}

/** A fingerprint of the plan, so a resumed run can tell that the plan changed in between. */
export function planHash(plan: DeploymentPlan): string {
  return keccak256(toUtf8Bytes(JSON.stringify(plan, (_key, value) => (typeof value === "bigint" ? value.toString() : value))));
}
