/** Intent helpers live in scripts/lib so that `bench:gas` shares them without importing test code. */
export * from "../../scripts/lib/ledgerIntents";
