export { pointsLedgerAbi } from "./pointsLedger";
export { cityCouncilAbi } from "./cityCouncil";
export { passkeyAccountsAbi } from "./passkeyAccounts";
