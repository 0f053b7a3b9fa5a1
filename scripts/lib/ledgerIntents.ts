/** Residents' EIP-712 intents signed with ethers on the Hardhat network: shared by the contract tests and `bench:gas`. */
import { ethers } from "hardhat";
import type { Signer, Signature } from "ethers";
import type { PointsLedger } from "../../typechain-types";
import { intentTypes, ledgerDomain, type IntentKind, type IntentMessages } from "../../sdk/src/eip712";

const FAR_FUTURE = 2n ** 40n;

/** Signs an intent as `signer` for `ledger` (or another chain id / contract, to test rejection). */
export async function signIntent<K extends IntentKind>(
  signer: Signer,
  ledger: PointsLedger,
  kind: K,
  message: IntentMessages[K],
  overrides: { chainId?: bigint; verifyingContract?: string } = {},
): Promise<Signature> {
  const { chainId } = await ethers.provider.getNetwork();
  const domain = ledgerDomain(overrides.chainId ?? chainId, (overrides.verifyingContract ?? (await ledger.getAddress())) as `0x${string}`);
  const types = { [kind]: intentTypes[kind].map((f) => ({ ...f })) };
  return ethers.Signature.from(await signer.signTypedData(domain, types, message));
}

/** The resident's next nonce for intents spending from `domainId`, read from the ledger. */
export async function nextNonce(ledger: PointsLedger, resident: Signer, domainId: number): Promise<bigint> {
  return ledger.nonces(await resident.getAddress(), domainId);
}

export async function exchangeIntent(
  ledger: PointsLedger,
  resident: Signer,
  fields: Partial<IntentMessages["ExchangeIntent"]> & { fromDomain: number; toDomain: number; amountIn: bigint },
): Promise<IntentMessages["ExchangeIntent"]> {
  return {
    resident: (await resident.getAddress()) as `0x${string}`,
    minAmountOut: 0n,
    nonce: fields.nonce ?? (await nextNonce(ledger, resident, fields.fromDomain)),
    deadline: FAR_FUTURE,
    ...fields,
  };
}

export async function redeemIntent(
  ledger: PointsLedger,
  resident: Signer,
  fields: Partial<Omit<IntentMessages["RedeemIntent"], "partner">> & { domainId: number; amount: bigint; partner: string },
): Promise<IntentMessages["RedeemIntent"]> {
  const address = (await resident.getAddress()) as `0x${string}`;
  const nonce = fields.nonce ?? (await nextNonce(ledger, resident, fields.domainId));
  return {
    resident: address,
    // One order per intent by default: the ledger refuses an order reference paid twice to a partner.
    orderRef: ethers.id(`order-${address}-${fields.domainId}-${nonce}`) as `0x${string}`,
    nonce,
    deadline: FAR_FUTURE,
    ...fields,
    partner: fields.partner as `0x${string}`,
  };
}

export async function transferIntent(
  ledger: PointsLedger,
  resident: Signer,
  fields: Partial<Omit<IntentMessages["TransferIntent"], "to">> & { domainId: number; amount: bigint; to: string },
): Promise<IntentMessages["TransferIntent"]> {
  return {
    resident: (await resident.getAddress()) as `0x${string}`,
    nonce: fields.nonce ?? (await nextNonce(ledger, resident, fields.domainId)),
    deadline: FAR_FUTURE,
    ...fields,
    to: fields.to as `0x${string}`,
  };
}
