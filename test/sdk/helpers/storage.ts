/** Reading and writing the ledger's storage on Hardhat's network, at the slots of ../../helpers/ledgerSlots.ts. */
import { ethers, network } from "hardhat";

export { SLOT, accountSlot, claimWordSlot, domainSlot, issuerSlot, paidOrderSlot } from "../../helpers/ledgerSlots";

export async function readSlot(contract: string, slot: bigint): Promise<bigint> {
  return BigInt(await ethers.provider.getStorage(contract, slot));
}

export async function writeSlot(contract: string, slot: bigint, value: bigint): Promise<void> {
  await network.provider.send("hardhat_setStorageAt", [contract, ethers.toBeHex(slot), ethers.toBeHex(value, 32)]);
}
