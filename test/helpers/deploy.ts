/** The ledger fixture lives in scripts/lib so that `bench:gas` shares it without importing test code. */
export * from "../../scripts/lib/ledgerFixture";
