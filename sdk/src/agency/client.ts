/**
 * `createAgencyClient`: the relay's API for an agency's back office, one typed method per
 * operation. Each method is a thin binding of the action of the same name in ./actions (usable on
 * its own with a `RelayTransport`), so the client stays a list and the logic lives in the actions.
 */
import { approveAgreement, type ApproveAgreementParameters, type ApproveAgreementReturnType } from "./actions/approveAgreement";
import { closeSettlementPeriod, type CloseSettlementPeriodParameters, type CloseSettlementPeriodReturnType } from "./actions/closeSettlementPeriod";
import { confirmSettlement, type ConfirmSettlementParameters, type ConfirmSettlementReturnType } from "./actions/confirmSettlement";
import { getAgreements, type GetAgreementsParameters, type GetAgreementsReturnType } from "./actions/getAgreements";
import { getBalances, type GetBalancesParameters, type GetBalancesReturnType } from "./actions/getBalances";
import { getDomains, type GetDomainsParameters, type GetDomainsReturnType } from "./actions/getDomains";
import { getHistory, type GetHistoryParameters, type GetHistoryReturnType } from "./actions/getHistory";
import { getHistoryPage, type GetHistoryPageParameters, type GetHistoryPageReturnType } from "./actions/getHistoryPage";
import { getOperation, type GetOperationParameters, type GetOperationReturnType } from "./actions/getOperation";
import { getQuota, type GetQuotaParameters, type GetQuotaReturnType } from "./actions/getQuota";
import { getQuote, type GetQuoteParameters, type GetQuoteReturnType } from "./actions/getQuote";
import { getSettlement, type GetSettlementParameters, type GetSettlementReturnType } from "./actions/getSettlement";
import { getSupply, type GetSupplyParameters, type GetSupplyReturnType } from "./actions/getSupply";
import { issuePoints, type IssuePointsParameters, type IssuePointsReturnType } from "./actions/issuePoints";
import { issuePointsBatch, type IssuePointsBatchParameters, type IssuePointsBatchReturnType } from "./actions/issuePointsBatch";
import { proposeAgreement, type ProposeAgreementParameters, type ProposeAgreementReturnType } from "./actions/proposeAgreement";
import { redeemPoints, type RedeemPointsParameters, type RedeemPointsReturnType } from "./actions/redeemPoints";
import { setPartner, type SetPartnerParameters, type SetPartnerReturnType } from "./actions/setPartner";
import { setPartnerName, type SetPartnerNameParameters, type SetPartnerNameReturnType } from "./actions/setPartnerName";
import { streamEvents, type StreamEventsParameters, type StreamEventsReturnType } from "./actions/streamEvents";
import { submitExchange, type SubmitExchangeParameters, type SubmitExchangeReturnType } from "./actions/submitExchange";
import { suspendAgreement, type SuspendAgreementParameters, type SuspendAgreementReturnType } from "./actions/suspendAgreement";
import { waitForOperation, type WaitForOperationOptions, type WaitForOperationReturnType } from "./actions/waitForOperation";
import { watchEvents, type EventWatch, type WatchEventsParameters } from "./actions/watchEvents";
import { createRelayTransport, type AgencyClientConfig, type RelayTransport } from "./transport";

export interface AgencyClient {
  /** The signed, retrying connection every method uses (for calling actions directly). */
  readonly transport: RelayTransport;

  // Writes: each answers at once with the accepted operation(s); follow them with waitForOperation.
  issuePoints(params: IssuePointsParameters): Promise<IssuePointsReturnType>;
  issuePointsBatch(params: IssuePointsBatchParameters): Promise<IssuePointsBatchReturnType>;
  redeemPoints(params: RedeemPointsParameters): Promise<RedeemPointsReturnType>;
  submitExchange(params: SubmitExchangeParameters): Promise<SubmitExchangeReturnType>;
  proposeAgreement(params: ProposeAgreementParameters): Promise<ProposeAgreementReturnType>;
  approveAgreement(params: ApproveAgreementParameters): Promise<ApproveAgreementReturnType>;
  suspendAgreement(params: SuspendAgreementParameters): Promise<SuspendAgreementReturnType>;
  setPartner(params: SetPartnerParameters): Promise<SetPartnerReturnType>;
  setPartnerName(params: SetPartnerNameParameters): Promise<SetPartnerNameReturnType>;
  closeSettlementPeriod(params: CloseSettlementPeriodParameters): Promise<CloseSettlementPeriodReturnType>;
  confirmSettlement(params: ConfirmSettlementParameters): Promise<ConfirmSettlementReturnType>;

  // Reads.
  getSettlement(params: GetSettlementParameters): Promise<GetSettlementReturnType>;
  getQuota(params?: GetQuotaParameters): Promise<GetQuotaReturnType>;
  getBalances(params: GetBalancesParameters): Promise<GetBalancesReturnType>;
  getHistory(params: GetHistoryParameters): Promise<GetHistoryReturnType>;
  getHistoryPage(params: GetHistoryPageParameters): Promise<GetHistoryPageReturnType>;
  getDomains(params?: GetDomainsParameters): Promise<GetDomainsReturnType>;
  getSupply(params?: GetSupplyParameters): Promise<GetSupplyReturnType>;
  getAgreements(params?: GetAgreementsParameters): Promise<GetAgreementsReturnType>;
  getQuote(params: GetQuoteParameters): Promise<GetQuoteReturnType>;

  // Following operations.
  getOperation(id: string | { id: string }, params?: GetOperationParameters): Promise<GetOperationReturnType>;
  waitForOperation(id: string | { id: string }, options?: WaitForOperationOptions): Promise<WaitForOperationReturnType>;
  streamEvents(params?: StreamEventsParameters): StreamEventsReturnType;
  watchEvents(params: WatchEventsParameters): EventWatch;
}

/**
 * A client for one agency's credentials.
 * @example
 * import { readFileSync } from "node:fs";
 * // `npm start` writes each demo agency's credentials to .data/credentials/<agency>.json
 * const { relayUrl, keyId, secret } = JSON.parse(readFileSync(".data/credentials/volunteer.json", "utf8"));
 * const client = createAgencyClient({ url: relayUrl, keyId, secret, retry: { retries: 5 } });
 * const { domains, currentPeriod } = await client.getDomains();
 */
export function createAgencyClient(config: AgencyClientConfig): AgencyClient {
  const transport = createRelayTransport(config);
  return {
    transport,
    issuePoints: (params) => issuePoints(transport, params),
    issuePointsBatch: (params) => issuePointsBatch(transport, params),
    redeemPoints: (params) => redeemPoints(transport, params),
    submitExchange: (params) => submitExchange(transport, params),
    proposeAgreement: (params) => proposeAgreement(transport, params),
    approveAgreement: (params) => approveAgreement(transport, params),
    suspendAgreement: (params) => suspendAgreement(transport, params),
    setPartner: (params) => setPartner(transport, params),
    setPartnerName: (params) => setPartnerName(transport, params),
    closeSettlementPeriod: (params) => closeSettlementPeriod(transport, params),
    confirmSettlement: (params) => confirmSettlement(transport, params),
    getSettlement: (params) => getSettlement(transport, params),
    getQuota: (params) => getQuota(transport, params),
    getBalances: (params) => getBalances(transport, params),
    getHistory: (params) => getHistory(transport, params),
    getHistoryPage: (params) => getHistoryPage(transport, params),
    getDomains: (params) => getDomains(transport, params),
    getSupply: (params) => getSupply(transport, params),
    getAgreements: (params) => getAgreements(transport, params),
    getQuote: (params) => getQuote(transport, params),
    getOperation: (id, params) => getOperation(transport, id, params),
    waitForOperation: (id, options) => waitForOperation(transport, id, options),
    streamEvents: (params) => streamEvents(transport, params),
    watchEvents: (params) => watchEvents(transport, params),
  };
}
