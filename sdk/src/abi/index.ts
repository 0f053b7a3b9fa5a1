export { pointsLedgerAbi } from "./pointsLedger";
export { cityCouncilAbi } from "./cityCouncil";
export { pointsLedgerRuntimeCode, cityCouncilRuntimeCode, type RuntimeCode } from "./runtimeCode";
export { communityStationsAbi } from "./communityStations";
export { passkeyAccountsAbi } from "./passkeyAccounts";
