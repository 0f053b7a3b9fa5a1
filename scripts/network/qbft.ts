/** The QBFT facts the network profile (network:besu) and the preflight checks share. */

/**
 * QBFT tolerates f faulty validators among 3f + 1, so tolerating one fault takes four (Besu's QBFT
 * documentation, "Minimum number of validators"). The city runs one validator per agency.
 */
export const MIN_QBFT_VALIDATORS = 4;
