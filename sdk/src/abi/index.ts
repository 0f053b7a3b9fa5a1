export { pointsLedgerAbi } from "./pointsLedger";
export { cityCouncilAbi } from "./cityCouncil";
