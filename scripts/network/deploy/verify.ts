/**
 * Checks a deployment on chain against its plan: the council holds the council role and the pauser the
 * pauser role, nobody else (the deployer included) was granted any role at creation, the council has the
 * planned members and threshold, the ledger asks the recorded passkey registry (which answers to the
 * council, with the planned recovery delay), and every domain has its planned agency, settings and issuers.
 */
import { Contract, getAddress, type Provider } from "ethers";
import { cityCouncilAbi, passkeyAccountsAbi, pointsLedgerAbi } from "../../../sdk/src/abi";
import type { Deployment } from "../../../sdk/src/deployment";
import { DEFAULT_RECOVERY_DELAY_SECONDS, type DeploymentPlan } from "../../lib/deploy";

export interface Finding {
  ok: boolean;
  check: string;
  detail: string;
}

const same = (a: string, b: string) => getAddress(a) === getAddress(b);

export async function verifyDeployment(provider: Provider, record: Deployment, plan: DeploymentPlan, deployer: string): Promise<Finding[]> {
  const ledger = new Contract(record.ledger, pointsLedgerAbi, provider);
  const council = new Contract(record.council, cityCouncilAbi, provider);
  const findings: Finding[] = [];
  const add = (ok: boolean, check: string, detail: string) => findings.push({ ok, check, detail });

  const [councilRole, pauserRole] = await Promise.all([ledger.COUNCIL_ROLE(), ledger.PAUSER_ROLE()]);
  add(await ledger.hasRole(councilRole, record.council), "council role", `held by the council ${record.council}`);
  add(await ledger.hasRole(pauserRole, plan.pauser), "pauser role", `held by ${plan.pauser}`);

  // Every role ever granted shows as RoleGranted: at creation only the council and the pauser may appear.
  const receipt = await provider.getTransactionReceipt(record.transactions.ledger);
  const grants = (receipt?.logs ?? [])
    .filter((l) => same(l.address, record.ledger))
    .map((l) => ledger.interface.parseLog(l))
    .filter((e) => e?.name === "RoleGranted")
    .map((e) => ({ role: e!.args.role as string, account: e!.args.account as string }));
  const unexpected = grants.filter((g) => !((g.role === councilRole && same(g.account, record.council)) || (g.role === pauserRole && same(g.account, plan.pauser))));
  add(grants.length === 2 && unexpected.length === 0, "roles granted at creation", unexpected.length ? `unexpected: ${unexpected.map((g) => g.account).join(", ")}` : "council and pauser only");

  const deployerIsPauser = same(deployer, plan.pauser);
  const deployerRoles = await Promise.all([ledger.hasRole(councilRole, deployer), ledger.hasRole(pauserRole, deployer)]);
  add(!deployerRoles[0] && (deployerIsPauser || !deployerRoles[1]), "deployer keeps no role", deployerIsPauser ? "the plan names the deployer as pauser" : `${deployer} holds none`);
  add(!(await council.isMember(deployer)) || plan.councilMembers.some((m) => same(m, deployer)), "deployer not on the council", deployer);

  const members: string[] = await council.members();
  const threshold: bigint = await council.threshold();
  add(
    members.length === plan.councilMembers.length && members.every((m, i) => same(m, plan.councilMembers[i])),
    "council members",
    members.join(", "),
  );
  add(threshold === BigInt(plan.councilThreshold), "council threshold", `${threshold} of ${members.length}`);

  const passkeys = new Contract(record.passkeyAccounts, passkeyAccountsAbi, provider);
  add(same(await ledger.PASSKEY_ACCOUNTS_REGISTRY(), record.passkeyAccounts), "passkey registry", `the ledger asks ${record.passkeyAccounts}`);
  add(same(await passkeys.COUNCIL(), record.council), "passkey registry's council", "the council appoints recovery agents");
  const delay: bigint = await passkeys.RECOVERY_DELAY();
  add(delay === BigInt(plan.recoveryDelaySeconds ?? DEFAULT_RECOVERY_DELAY_SECONDS), "passkey recovery delay", `${delay} s`);

  const domainCount = Number(await ledger.domainCount());
  add(domainCount === plan.domains.length, "domain count", String(domainCount));
  for (const [i, planned] of plan.domains.entries()) {
    const id = i + 1;
    const d = await ledger.domain(id);
    const settingsOk =
      d.name === planned.name && same(d.agency, planned.agency) && Number(d.pointValue) === planned.pointValue && d.residentCap === planned.residentCap && d.transferable === planned.transferable;
    add(settingsOk, `domain ${id} (${planned.name})`, `agency ${d.agency}`);
    for (const issuer of planned.issuers) {
      const state = await ledger.issuerState(id, issuer.address);
      add(state.admitted && !state.suspended && state.quota === issuer.quota, `domain ${id} issuer ${issuer.address}`, `quota ${state.quota}`);
    }
  }
  return findings;
}
