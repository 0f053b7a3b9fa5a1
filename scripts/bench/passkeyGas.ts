/**
 * Gas of a passkey account for `npm run bench:gas`: registering its first credential and an
 * exchange authorised by a WebAuthn assertion, on whatever chain the contracts are given. The
 * benchmark runs it on the in-process Hardhat network (Osaka: the P256VERIFY precompile) and on an
 * anvil child process on Cancun (no precompile: OpenZeppelin's Solidity fallback), in the same run.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Contract, type ContractTransactionResponse, type Signer } from "ethers";
import { bytesToHex, type Hex } from "viem";
import { passkeyAccountsAbi, pointsLedgerAbi } from "../../sdk/src/abi";
import { createPasskey, encodePasskeyAssertion, fromBase64Url, intentDigest, requestPasskeyAssertion } from "../../sdk/src/resident/passkeys";
import { CANCUN_CHAIN, startUnlockedAnvil } from "../lib/anvil";
import { DEMO_AGENCIES, DEMO_DOMAIN } from "../lib/demoAgencies";
import { runCityDeployment } from "../lib/deploy";
import { SoftAuthenticator } from "../lib/softAuthenticator";

const ORIGIN = "https://points.city.example";
const FAR_DEADLINE = 2n ** 40n;

/** The contracts and the two agencies of an active `fromDomain` → `toDomain` agreement. */
export interface PasskeyBenchChain {
  ledger: Contract;
  passkeys: Contract;
  chainId: bigint;
  fromDomain: number;
  toDomain: number;
  fromAgency: Signer;
  toAgency: Signer;
  /** Claim ids this run may use for its issuance (unused by the caller). */
  claimIds: [bigint, bigint];
}

export interface PasskeyGas {
  register: bigint;
  /** The second exchange of the account, as the ECDSA figure is measured. */
  exchange: bigint;
}

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (!receipt || receipt.status !== 1) throw new Error("benchmark transaction failed");
  return receipt.gasUsed;
}

/** Registers a fresh passkey account, funds it in both domains and exchanges twice. */
export async function measurePasskeyGas(chain: PasskeyBenchChain): Promise<PasskeyGas> {
  const { ledger, passkeys, fromDomain, toDomain } = chain;
  const authenticator = new SoftAuthenticator({ origin: ORIGIN });
  const phone = await createPasskey({ rp: { id: new URL(ORIGIN).hostname, name: "City points" }, credentials: authenticator });
  const rawId = bytesToHex(fromBase64Url(phone.credentialId));
  const register = await gasOf(passkeys.register(phone.publicKey.x, phone.publicKey.y, rawId));

  await gasOf((ledger.connect(chain.fromAgency) as Contract).issue(fromDomain, phone.account, 10_000, chain.claimIds[0]));
  await gasOf((ledger.connect(chain.toAgency) as Contract).issue(toDomain, phone.account, 10, chain.claimIds[1]));
  const exchangeOnce = async () => {
    const nonce = (await ledger.nonces(phone.account, fromDomain)) as bigint;
    const intent = { resident: phone.account, fromDomain, toDomain, amountIn: 10n, minAmountOut: 1n, nonce, deadline: FAR_DEADLINE };
    const challenge = intentDigest("ExchangeIntent", intent, { chainId: chain.chainId, address: (await ledger.getAddress()) as Hex });
    const assertion = await requestPasskeyAssertion({ challenge, credential: phone, credentials: authenticator });
    return gasOf(ledger.exchangeByPasskey(intent, encodePasskeyAssertion(assertion)));
  };
  await exchangeOnce(); // the account's first: a fresh nonce slot
  return { register, exchange: await exchangeOnce() };
}

/**
 * {@link measurePasskeyGas} on an anvil chain without the P256VERIFY precompile (Cancun), deployed
 * as `npm run deploy` deploys; the chain is stopped before this returns.
 */
export async function measurePasskeyGasWithoutPrecompile(): Promise<PasskeyGas> {
  const anvil = await startUnlockedAnvil({ accounts: 5, args: CANCUN_CHAIN });
  const dir = mkdtempSync(join(tmpdir(), "bench-gas-passkeys-"));
  try {
    const [deployer, member, otherMember, fromAgency, toAgency] = await Promise.all([0, 1, 2, 3, 4].map((i) => anvil.signer(i)));
    const [fromName, toName] = [DEMO_AGENCIES[0], DEMO_AGENCIES[1]];
    const domain = async (name: string, agency: Signer) => ({ name, agency: await agency.getAddress(), pointValue: 10, residentCap: 0n, transferable: false, issuers: [{ address: await agency.getAddress(), quota: 10n ** 12n }] });
    const { record } = await runCityDeployment(
      deployer,
      { councilMembers: [await member.getAddress(), await otherMember.getAddress()], councilThreshold: 2, pauser: await member.getAddress(), periodSeconds: 86_400, domains: [await domain(fromName, fromAgency), await domain(toName, toAgency)] },
      join(dir, "deployment.json"),
    );
    const ledger = new Contract(record.ledger, pointsLedgerAbi, deployer);
    const [fromDomain, toDomain] = [DEMO_DOMAIN[fromName], DEMO_DOMAIN[toName]];
    await gasOf((ledger.connect(fromAgency) as Contract).proposeAgreement(fromDomain, toDomain, 1, 2, 0, 0, 2 ** 32 - 1));
    await gasOf((ledger.connect(toAgency) as Contract).approveAgreement(await ledger.agreementIdOf(fromDomain, toDomain), 1));
    return await measurePasskeyGas({
      ledger,
      passkeys: new Contract(record.passkeyAccounts, passkeyAccountsAbi, deployer),
      chainId: BigInt(record.chainId),
      fromDomain,
      toDomain,
      fromAgency,
      toAgency,
      claimIds: [1n, 1n],
    });
  } finally {
    await anvil.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
