/**
 * Reading a passkey account from the chain: its active credentials, the nonce its next credential
 * change must carry, and any pending recovery (which the app should show the resident, who can
 * cancel it with any of their credentials).
 */
import type { Address, Client, Hex } from "viem";
import { readContract } from "viem/actions";
import { passkeyAccountsAbi } from "../../abi";

export const CREDENTIAL_STATUSES = ["none", "active", "revoked", "proposed"] as const;
export type CredentialStatus = (typeof CREDENTIAL_STATUSES)[number];

export interface PasskeyAccountState {
  account: Address;
  /** Key ids of its active credentials (empty: never registered). */
  credentials: Hex[];
  changeNonce: bigint;
  /** A replacement credential proposed by a recovery agent, taking effect at `readyAt` unless cancelled. */
  recovery?: { keyId: Hex; publicKey: { x: Hex; y: Hex }; proposer: Address; readyAt: bigint };
}

/** The account's credentials, change nonce and pending recovery, read at one block. */
export async function getPasskeyAccount(
  client: Client,
  params: { registry: Address; account: Address; blockNumber?: bigint },
): Promise<PasskeyAccountState> {
  const read = { address: params.registry, abi: passkeyAccountsAbi, ...(params.blockNumber === undefined ? {} : { blockNumber: params.blockNumber }) } as const;
  const [credentials, changeNonce, recovery] = await Promise.all([
    readContract(client, { ...read, functionName: "credentialsOf", args: [params.account] }),
    readContract(client, { ...read, functionName: "changeNonce", args: [params.account] }),
    readContract(client, { ...read, functionName: "recovery", args: [params.account] }),
  ]);
  return {
    account: params.account,
    credentials: [...credentials],
    changeNonce,
    ...(recovery.readyAt === 0n
      ? {}
      : { recovery: { keyId: recovery.keyId, publicKey: { x: recovery.qx, y: recovery.qy }, proposer: recovery.proposer, readyAt: recovery.readyAt } }),
  };
}

/** A credential's account (zero address if never registered) and status. */
export async function getPasskeyCredential(
  client: Client,
  params: { registry: Address; keyId: Hex; blockNumber?: bigint },
): Promise<{ account: Address; status: CredentialStatus }> {
  const c = await readContract(client, {
    address: params.registry,
    abi: passkeyAccountsAbi,
    functionName: "credential",
    args: [params.keyId],
    ...(params.blockNumber === undefined ? {} : { blockNumber: params.blockNumber }),
  });
  return { account: c.account, status: CREDENTIAL_STATUSES[c.status] ?? "none" };
}
