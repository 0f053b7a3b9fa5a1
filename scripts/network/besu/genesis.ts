/**
 * The genesis of the city's QBFT network, with the items Besu documents:
 * - milestones: londonBlock 0 (earlier block milestones are implied), then shanghaiTime and cancunTime 0,
 *   because solc ≥ 0.8.20 emits PUSH0 (Shanghai) and OpenZeppelin 5.5+ emits MCOPY (Cancun), and
 *   pragueTime and osakaTime 0 for the P256VERIFY precompile passkey accounts use (EIP-7951, in Besu
 *   from 25.7.0); Osaka also caps a transaction at 16,777,216 gas (EIP-7825), which the relay's
 *   batches respect (server/chain/gasCap.ts);
 * - zeroBaseFee: free gas after London (Besu docs: private-networks/how-to/configure/free-gas);
 * - contractSizeLimit and gasLimit sized for our contracts (genesis-items; free-gas);
 * - qbft: blockperiodseconds, epochlength, requesttimeoutseconds, and difficulty 0x1 with the Istanbul
 *   mixHash, and extraData listing the validators (private-networks/how-to/configure/consensus/qbft).
 */
import { qbftExtraData, sortValidators } from "./extraData";

/** "Istanbul block identification", the mixHash every QBFT genesis carries. */
export const QBFT_MIX_HASH = "0x63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365";

/**
 * Twice Ethereum's 24,576-byte limit: PointsLedger's runtime is about 22 KB, and the city must be able to
 * upgrade to a larger ledger without re-creating the chain. Checked against the build by the tests.
 */
export const CONTRACT_SIZE_LIMIT = 49_152;

/**
 * 100 M gas per block: several of the relay's largest batches (each under Osaka's cap per transaction)
 * and the ledger's creation fit with room to spare; measured against the build by the tests.
 */
export const BLOCK_GAS_LIMIT = 100_000_000;

export interface GenesisOptions {
  chainId: number;
  validators: string[];
  blockPeriodSeconds: number;
}

export function buildGenesis(options: GenesisOptions): Record<string, unknown> {
  return {
    config: {
      chainId: options.chainId,
      londonBlock: 0,
      shanghaiTime: 0,
      cancunTime: 0,
      pragueTime: 0,
      osakaTime: 0,
      zeroBaseFee: true,
      contractSizeLimit: CONTRACT_SIZE_LIMIT,
      qbft: {
        blockperiodseconds: options.blockPeriodSeconds,
        epochlength: 30_000,
        // Twice the block period, as Besu's QBFT guide advises to start tuning from.
        requesttimeoutseconds: options.blockPeriodSeconds * 2,
      },
    },
    nonce: "0x0",
    timestamp: "0x0",
    extraData: qbftExtraData(sortValidators(options.validators)),
    gasLimit: "0x" + BLOCK_GAS_LIMIT.toString(16),
    difficulty: "0x1",
    mixHash: QBFT_MIX_HASH,
    coinbase: "0x0000000000000000000000000000000000000000",
    // Free gas: nobody needs a balance.
    alloc: {},
  };
}
