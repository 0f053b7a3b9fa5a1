/**
 * Every council action by name, with its arguments checked before anything is sent: the call it
 * makes (on the ledger or on the council itself), and what must already hold for it to make
 * sense. `npm run council -- propose <action> ...` and the demo build their proposals here.
 */
import { getAddress, isAddress, zeroAddress, type Hex, type PublicClient } from "viem";
import { pointsLedgerAbi } from "../../sdk/src/abi";
import type { Deployment } from "../../sdk/src/deployment";
import { CouncilToolError } from "./errors";

export interface CouncilCall {
  target: "ledger" | "council";
  functionName: string;
  args: readonly unknown[];
}

interface Context {
  client: PublicClient;
  deployment: Deployment;
}

interface Action {
  /** The arguments, in order, as the usage line shows them. */
  params: readonly string[];
  summary: string;
  build(args: string[], ctx: Context): Promise<CouncilCall>;
}

const U32 = 2n ** 32n - 1n;
const U40 = 2n ** 40n - 1n;
const U64 = 2n ** 64n - 1n;
const U96 = 2n ** 96n - 1n;

function integer(value: string, name: string, min: bigint, max: bigint): bigint {
  if (!/^\d+$/.test(value)) throw new CouncilToolError("INVALID_ARGUMENT", `${name} must be a whole number, not "${value}"`);
  const n = BigInt(value);
  if (n < min || n > max) throw new CouncilToolError("INVALID_ARGUMENT", `${name} must be between ${min} and ${max}, not ${value}`);
  return n;
}

function address(value: string, name: string): Hex {
  if (!isAddress(value, { strict: false }) || value.toLowerCase() === zeroAddress) {
    throw new CouncilToolError("INVALID_ARGUMENT", `${name} must be a non-zero address (0x and 40 hex digits), not "${value}"`);
  }
  return getAddress(value);
}

function boolean(value: string, name: string): boolean {
  if (value !== "true" && value !== "false") throw new CouncilToolError("INVALID_ARGUMENT", `${name} must be true or false, not "${value}"`);
  return value === "true";
}

async function domainId(value: string, ctx: Context): Promise<number> {
  const id = integer(value, "domain id", 1n, U32);
  const count = await ctx.client.readContract({ address: ctx.deployment.ledger as Hex, abi: pointsLedgerAbi, functionName: "domainCount" });
  if (id > BigInt(count)) throw new CouncilToolError("INVALID_ARGUMENT", `there is no domain ${id}: the ledger has ${count}`);
  return Number(id);
}

async function issuer(ctx: Context, domain: number, who: Hex) {
  return ctx.client.readContract({ address: ctx.deployment.ledger as Hex, abi: pointsLedgerAbi, functionName: "issuerState", args: [domain, who] });
}

const ledger = (functionName: string, args: readonly unknown[]): CouncilCall => ({ target: "ledger", functionName, args });
const council = (functionName: string, args: readonly unknown[]): CouncilCall => ({ target: "council", functionName, args });

export const COUNCIL_ACTIONS: Record<string, Action> = {
  "admit-issuer": {
    params: ["domainId", "issuer", "quota"],
    summary: "admit an issuer to a domain with a quota per period",
    async build([d, i, q], ctx) {
      const domain = await domainId(d, ctx);
      const who = address(i, "issuer");
      const quota = integer(q, "quota", 1n, U96);
      if ((await issuer(ctx, domain, who)).admitted) throw new CouncilToolError("INVALID_ARGUMENT", `${who} is already an issuer of domain ${domain}: use set-quota`);
      return ledger("setIssuerQuota", [domain, who, quota]);
    },
  },
  "set-quota": {
    params: ["domainId", "issuer", "quota"],
    summary: "change an admitted issuer's quota per period",
    async build([d, i, q], ctx) {
      const domain = await domainId(d, ctx);
      const who = address(i, "issuer");
      const quota = integer(q, "quota", 1n, U96);
      if (!(await issuer(ctx, domain, who)).admitted) throw new CouncilToolError("INVALID_ARGUMENT", `${who} is not an issuer of domain ${domain}: use admit-issuer`);
      return ledger("setIssuerQuota", [domain, who, quota]);
    },
  },
  "remove-issuer": {
    params: ["domainId", "issuer"],
    summary: "remove an issuer from a domain",
    async build([d, i], ctx) {
      const domain = await domainId(d, ctx);
      return ledger("removeIssuer", [domain, address(i, "issuer")]);
    },
  },
  "reinstate-issuer": {
    params: ["domainId", "issuer"],
    summary: "lift an issuer's suspension",
    async build([d, i], ctx) {
      const domain = await domainId(d, ctx);
      const who = address(i, "issuer");
      if (!(await issuer(ctx, domain, who)).suspended) throw new CouncilToolError("INVALID_ARGUMENT", `${who} is not a suspended issuer of domain ${domain}`);
      return ledger("reinstateIssuer", [domain, who]);
    },
  },
  "set-resident-cap": {
    params: ["domainId", "cap"],
    summary: "most points one resident may be issued in a domain per period (0: none)",
    async build([d, c], ctx) {
      return ledger("setResidentCap", [await domainId(d, ctx), integer(c, "cap", 0n, U64)]);
    },
  },
  "set-transferable": {
    params: ["domainId", "true|false"],
    summary: "allow or forbid transfers between residents in a domain",
    async build([d, t], ctx) {
      return ledger("setTransferable", [await domainId(d, ctx), boolean(t, "transferable")]);
    },
  },
  "set-agency": {
    params: ["domainId", "agency"],
    summary: "the address that acts for a domain's agency",
    async build([d, a], ctx) {
      return ledger("setDomainAgency", [await domainId(d, ctx), address(a, "agency")]);
    },
  },
  "create-domain": {
    params: ["name", "agency", "pointValue", "residentCap", "true|false"],
    summary: "create a domain (its point value is fixed for good)",
    async build([name, a, v, c, t]) {
      const bytes = Buffer.byteLength(name, "utf8");
      if (bytes < 1 || bytes > 32) throw new CouncilToolError("INVALID_ARGUMENT", `name must be 1 to 32 bytes, not ${bytes}`);
      const config = { name, agency: address(a, "agency"), pointValue: Number(integer(v, "point value", 1n, U40)), residentCap: integer(c, "resident cap", 0n, U64), transferable: boolean(t, "transferable") };
      return ledger("createDomain", [config]);
    },
  },
  "unpause-ledger": {
    params: [],
    summary: "lift the global pause",
    async build() {
      return ledger("unpause", []);
    },
  },
  "unpause-domain": {
    params: ["domainId"],
    summary: "lift a domain's pause",
    async build([d], ctx) {
      return ledger("unpauseDomain", [await domainId(d, ctx)]);
    },
  },
  "add-member": {
    params: ["member"],
    summary: "admit a council member",
    async build([m]) {
      return council("addMember", [address(m, "member")]);
    },
  },
  "remove-member": {
    params: ["member"],
    summary: "remove a council member (its approvals stop counting for good)",
    async build([m]) {
      return council("removeMember", [address(m, "member")]);
    },
  },
  "set-threshold": {
    params: ["approvals"],
    summary: "approvals a proposal needs (at least 2, at most the members)",
    async build([n]) {
      return council("setThreshold", [integer(n, "threshold", 2n, 32n)]);
    },
  },
  "set-proposal-lifetime": {
    params: ["seconds"],
    summary: "how long a new proposal stays open (3600 to 7776000 s)",
    async build([s]) {
      return council("setProposalLifetime", [integer(s, "lifetime", 3_600n, 90n * 86_400n)]);
    },
  },
};

/** The action's call, its arguments checked; an unknown action or a wrong count is a usage error. */
export async function buildCouncilCall(action: string, args: string[], ctx: Context): Promise<CouncilCall> {
  const spec = COUNCIL_ACTIONS[action];
  if (!spec) throw new CouncilToolError("UNKNOWN_ACTION", `unknown action "${action}"; actions: ${Object.keys(COUNCIL_ACTIONS).join(", ")}`);
  if (args.length !== spec.params.length) {
    throw new CouncilToolError("INVALID_ARGUMENT", `${action} takes ${spec.params.length} argument(s): ${action} ${spec.params.map((p) => `<${p}>`).join(" ")}`);
  }
  return spec.build(args, ctx);
}

/** One line per action, for --help. */
export function actionsHelp(): string {
  return Object.entries(COUNCIL_ACTIONS)
    .map(([name, a]) => `  ${`${name} ${a.params.map((p) => `<${p}>`).join(" ")}`.padEnd(52)} ${a.summary}`)
    .join("\n");
}
