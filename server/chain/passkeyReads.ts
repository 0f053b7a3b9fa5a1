/**
 * The registry of passkey accounts as the relay reads it: whether a key is an active credential of
 * an account, before an intent or a registration is journaled. Reading is the SDK's (getPasskeyCredential).
 */
import type { Address, Hex } from "viem";
import { getPasskeyAccount, getPasskeyCredential, type CredentialStatus, type PasskeyAccountState } from "../../sdk/src/resident/passkeys/reads";
import type { ChainGateway } from "./gateway";

export class PasskeyReads {
  constructor(
    private readonly gateway: ChainGateway,
    readonly registry: Address,
  ) {}

  /** The account's credentials, change nonce and pending recovery. */
  account(account: Address): Promise<PasskeyAccountState> {
    return this.gateway.guard("passkey account", () => getPasskeyAccount(this.gateway.client, { registry: this.registry, account }));
  }

  /** A credential's account and status; ChainUnreachableError when the node cannot be reached. */
  credential(keyId: Hex): Promise<{ account: Address; status: CredentialStatus }> {
    return this.gateway.guard("credential", () => getPasskeyCredential(this.gateway.client, { registry: this.registry, keyId }));
  }
}
