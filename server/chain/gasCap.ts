/**
 * The per-transaction gas cap of Osaka (EIP-7825: 2^24 = 16,777,216 gas; Besu enforces it from the
 * Osaka milestone, `npm start`'s anvil with --enable-tx-gas-limit), and what it allows an issuance
 * batch. The batch gas limit (calls.ts) is a fixed part plus a generous share per item; the largest
 * batch whose limit fits under the cap is the most the relay sends (BATCH_MAX_ITEMS is checked
 * against it). The ledger itself takes up to MAX_BATCH = 500 items, which only fits a chain without the cap.
 */
export const MAX_TRANSACTION_GAS = 16_777_216n;

/** A batch's fixed gas: the transaction, the call, the domain and issuer reads and writes. */
export const BATCH_BASE_GAS = 150_000n;
/** Per item, above the worst case measured (a new resident and a fresh claim word: about 45,000). */
export const BATCH_ITEM_GAS = 55_000n;

/** 302: the largest batch whose gas limit stays under MAX_TRANSACTION_GAS. */
export const MAX_BATCH_ITEMS_PER_TX = Number((MAX_TRANSACTION_GAS - BATCH_BASE_GAS) / BATCH_ITEM_GAS);
