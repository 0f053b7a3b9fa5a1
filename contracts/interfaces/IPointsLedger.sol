// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AgreementId} from "../libraries/AgreementId.sol";

/// @title City points ledger
/// @notice One ledger for every reward-point scheme ("domain") of a city. Agencies issue points for
/// verified deeds under public limits, residents exchange them at rates both agencies approved and
/// redeem them at partners, and agencies settle what they owe each other per period. Every change is
/// an event, so an auditor can rebuild the whole ledger from the chain alone.
/// @dev Amounts are whole points. Time is counted in periods of `PERIOD_SECONDS` from `GENESIS_TIME`;
/// quotas, caps, agreement windows and settlement all use the same period clock. Arguments name the
/// domain before what lives in it (a resident, issuer, partner or claim id); an agreement id or a
/// period comes before the domain it concerns. Only {balanceOf} and {nonces} keep ERC-1155's
/// `(account, id)` order.
interface IPointsLedger {
    // ─────────────────────────────────────────────────────────── Types

    /// @notice Initial configuration of a domain, used at deployment and by {createDomain}.
    /// @param name Human-readable name, e.g. "volunteer".
    /// @param agency Address that acts for the domain's agency: agreements, partners, settlement.
    /// @param pointValue Settlement value of one point, in the city's accounting unit (e.g. fen). Fixed
    /// when the domain is created: no function changes it, so the value rule an agreement was
    /// checked against at proposal holds for as long as the agreement lives.
    /// @param residentCap Most points one resident can be issued in this domain per period; 0 for no cap.
    /// @param transferable Whether residents may move points to each other in this domain.
    struct DomainConfig {
        string name;
        address agency;
        uint40 pointValue;
        uint64 residentCap;
        bool transferable;
    }

    /// @notice A domain's state as returned by {domain}.
    struct DomainView {
        string name;
        address agency;
        uint40 pointValue;
        uint64 residentCap;
        bool transferable;
        bool paused;
        uint128 supply;
    }

    /// @notice An issuer admitted at deployment.
    struct IssuerConfig {
        uint32 domainId;
        address issuer;
        uint96 quota;
    }

    /// @notice An issuer's standing in one domain, as returned by {issuerState}.
    /// @param quota Most points the issuer may issue per period.
    /// @param usedThisPeriod Points issued by this issuer in the current period.
    struct IssuerView {
        bool admitted;
        bool suspended;
        uint96 quota;
        uint96 usedThisPeriod;
    }

    /// @notice One item of a batch issuance.
    struct Issuance {
        address resident;
        uint256 amount;
        uint256 claimId;
    }

    /// @notice Terms of an exchange agreement from one domain to another.
    /// @dev `amountOut = floor(amountIn * rateNum / rateDen)`. A version is in force when both sides
    /// approved it, neither side suspended it and the current period lies in [validFrom, validUntil].
    struct AgreementTerms {
        uint40 rateNum;
        uint40 rateDen;
        uint64 periodCap;
        uint32 validFromPeriod;
        uint32 validUntilPeriod;
        uint16 version;
    }

    /// @notice An agreement's state as returned by {agreement}.
    /// @param current The version in force (version 0 if none was ever approved by both sides).
    /// @param pending A proposed version waiting for approval (version 0 if none).
    struct AgreementView {
        AgreementId agreementId;
        uint32 fromDomain;
        uint32 toDomain;
        AgreementTerms current;
        bool suspendedByFrom;
        bool suspendedByTo;
        AgreementTerms pending;
        bool pendingApprovedByFrom;
        bool pendingApprovedByTo;
    }

    /// @notice A resident's signed request to exchange points of one domain for another.
    struct ExchangeIntent {
        address resident;
        uint32 fromDomain;
        uint32 toDomain;
        uint128 amountIn;
        uint128 minAmountOut;
        uint256 nonce;
        uint256 deadline;
    }

    /// @notice A resident's signed request to spend points at a partner of the domain.
    /// @param orderRef Salted hash of the partner's order reference; never the reference itself. A
    /// non-zero one is paid at most once per partner; zero means no reference and is not tracked.
    struct RedeemIntent {
        address resident;
        uint32 domainId;
        uint128 amount;
        address partner;
        bytes32 orderRef;
        uint256 nonce;
        uint256 deadline;
    }

    /// @notice A resident's signed request to give points to another resident (only where allowed).
    struct TransferIntent {
        address resident;
        uint32 domainId;
        address to;
        uint128 amount;
        uint256 nonce;
        uint256 deadline;
    }

    /// @notice One agency's net position in a closed settlement period.
    /// @param net Positive: the agency is owed this much; negative: it owes this much.
    struct SettlementPosition {
        int128 net;
        bool confirmed;
        bytes32 paymentRef;
    }

    // ─────────────────────────────────────────────────────────── Errors

    /// @notice Thrown when a change the global pause stops is attempted while the ledger is paused,
    /// and by {pause} when it already is.
    error PointsLedgerPaused();

    /// @notice Thrown by {unpause} when the ledger is not paused.
    error PointsLedgerNotPaused();

    /// @notice Thrown when a domain id names no domain.
    /// @param domainId The domain id that names no domain.
    error PointsLedgerUnknownDomain(uint32 domainId);

    /// @notice Thrown when points would move in a paused domain, or an agency would change its partners,
    /// its agreements or its settlement (see {pauseDomain}), and by {pauseDomain} when it already is paused.
    /// @param domainId The paused domain.
    error PointsLedgerDomainPaused(uint32 domainId);

    /// @notice Thrown by {unpauseDomain} when the domain is not paused.
    /// @param domainId The domain that is not paused.
    error PointsLedgerDomainNotPaused(uint32 domainId);

    /// @notice Thrown by {createDomain} when {MAX_DOMAINS} domains already exist.
    /// @param count The number of domains that already exist.
    error PointsLedgerTooManyDomains(uint256 count);

    /// @notice Thrown when a new domain's name is empty or longer than 32 bytes.
    /// @param name The rejected name.
    error PointsLedgerInvalidName(string name);

    /// @notice Thrown when a new domain's settlement value of a point is zero.
    /// @param pointValue The rejected value.
    error PointsLedgerInvalidPointValue(uint256 pointValue);

    /// @notice Thrown at deployment when the period length is zero or above 2^32 - 1 seconds.
    /// @param periodSeconds The rejected period length.
    error PointsLedgerInvalidPeriodLength(uint256 periodSeconds);

    /// @notice Thrown when an address that must name someone is zero, or names who may not take that
    /// place (a resident transferring to themselves).
    /// @param account The rejected address.
    error PointsLedgerInvalidAddress(address account);

    /// @notice Thrown when a call only a domain's agency may make comes from another address.
    /// @param domainId The domain whose agency was required.
    /// @param account The caller.
    error PointsLedgerNotDomainAgency(uint32 domainId, address account);

    /// @notice Thrown by {suspendIssuer} when the caller is neither the council, the pauser nor the domain's agency.
    /// @param account The caller.
    error PointsLedgerUnauthorized(address account);

    /// @notice Thrown when an address acting as, or named as, an issuer of a domain is not admitted to it.
    /// @param domainId The domain.
    /// @param account The address that is not an admitted issuer of the domain.
    error PointsLedgerNotIssuer(uint32 domainId, address account);

    /// @notice Thrown when a suspended issuer issues, and by {suspendIssuer} when it already is suspended.
    /// @param domainId The domain.
    /// @param issuer The suspended issuer.
    error PointsLedgerIssuerSuspended(uint32 domainId, address issuer);

    /// @notice Thrown by {reinstateIssuer} when the issuer is not suspended.
    /// @param domainId The domain.
    /// @param issuer The issuer that is not suspended.
    error PointsLedgerIssuerNotSuspended(uint32 domainId, address issuer);

    /// @notice Thrown when an issuer's quota per period would be zero.
    /// @param quota The rejected quota.
    error PointsLedgerInvalidQuota(uint256 quota);

    /// @notice Thrown when an issuance, exchange, redemption or transfer would move zero points.
    error PointsLedgerZeroAmount();

    /// @notice Thrown when an amount is above {MAX_AMOUNT}, or a balance would exceed 2^96 - 1.
    /// @param amount The amount, or the balance it would give.
    error PointsLedgerAmountTooLarge(uint256 amount);

    /// @notice Thrown by {issueBatch} when the batch is empty or longer than {MAX_BATCH}.
    /// @param size The batch size given.
    error PointsLedgerInvalidBatchSize(uint256 size);

    /// @notice Thrown when an issuance carries a claim id already used in its domain, in any period.
    /// @param domainId The domain.
    /// @param claimId The claim id already used.
    error PointsLedgerClaimUsed(uint32 domainId, uint256 claimId);

    /// @notice Thrown when an issuance would take an issuer past its quota for this period.
    /// @param domainId The domain.
    /// @param issuer The issuer.
    /// @param requested Points asked for (a batch's total).
    /// @param remaining Points left in the issuer's quota this period.
    error PointsLedgerQuotaExceeded(uint32 domainId, address issuer, uint256 requested, uint256 remaining);

    /// @notice Thrown when an issuance would take a resident past the domain's cap for this period.
    /// @param domainId The domain.
    /// @param resident The resident.
    /// @param requested Points asked for.
    /// @param remaining Points the resident may still be issued this period.
    error PointsLedgerResidentCapExceeded(uint32 domainId, address resident, uint256 requested, uint256 remaining);

    /// @notice Thrown when an intent is submitted after its deadline.
    /// @param deadline The intent's deadline, already passed.
    error PointsLedgerExpiredSignature(uint256 deadline);

    /// @notice Thrown when an intent's signature does not recover to the resident it names (a wrong
    /// signer, another chain or contract, or an intent altered after signing).
    /// @param signer The address the signature recovers to.
    /// @param resident The resident named in the intent.
    error PointsLedgerInvalidSigner(address signer, address resident);

    /// @notice Thrown when an intent's nonce is not the resident's next one in the domain it spends from.
    /// @param domainId The domain the intent spends from.
    /// @param resident The resident.
    /// @param nonce The intent's nonce.
    /// @param expected The resident's next nonce in that domain.
    error PointsLedgerInvalidNonce(uint32 domainId, address resident, uint256 nonce, uint256 expected);

    /// @notice Thrown when an intent would spend more than the resident holds in the domain.
    /// @param domainId The domain.
    /// @param resident The resident.
    /// @param balance The resident's balance.
    /// @param needed Points asked for.
    error PointsLedgerInsufficientBalance(uint32 domainId, address resident, uint256 balance, uint256 needed);

    /// @notice Thrown when an exchange or agreement names the same domain as source and destination.
    /// @param domainId The domain given as both.
    error PointsLedgerSameDomain(uint32 domainId);

    /// @notice Thrown when no version of the agreement between two domains was ever approved by both sides.
    /// @param fromDomain The source domain.
    /// @param toDomain The destination domain.
    error PointsLedgerNoAgreement(uint32 fromDomain, uint32 toDomain);

    /// @notice Thrown when the agreement's version in force is suspended by a side, or the period lies
    /// outside its window.
    /// @param agreementId The agreement.
    /// @param period The current period.
    error PointsLedgerAgreementNotInForce(AgreementId agreementId, uint32 period);

    /// @notice Thrown when an exchange would take the agreement past its cap on points in for this period.
    /// @param agreementId The agreement.
    /// @param requested Points asked for.
    /// @param remaining Points the agreement still accepts this period.
    error PointsLedgerAgreementCapExceeded(AgreementId agreementId, uint256 requested, uint256 remaining);

    /// @notice Thrown when an exchange would give less than the resident's `minAmountOut`.
    /// @param amountOut What the resident would receive.
    /// @param minAmountOut The least the resident accepted.
    error PointsLedgerSlippage(uint256 amountOut, uint256 minAmountOut);

    /// @notice Thrown when an exchange's amount converts to zero points at the agreement's rate.
    /// @param amountIn The amount too small to convert.
    error PointsLedgerExchangeTooSmall(uint256 amountIn);

    /// @notice Thrown when a proposed rate has a zero numerator or denominator.
    /// @param rateNum The numerator.
    /// @param rateDen The denominator.
    error PointsLedgerInvalidRate(uint256 rateNum, uint256 rateDen);

    /// @notice Thrown when a proposed window ends before it starts.
    /// @param validFromPeriod The first period.
    /// @param validUntilPeriod The last period.
    error PointsLedgerInvalidWindow(uint32 validFromPeriod, uint32 validUntilPeriod);

    /// @notice Thrown when an agreement's first version would come into force while {MAX_AGREEMENTS}
    /// agreements already have been in force (by the approval that completes it, or by a proposal of
    /// an agency that runs both domains).
    /// @param count The number of agreements that have been in force.
    error PointsLedgerTooManyAgreements(uint256 count);

    /// @notice Thrown when a proposed rate would credit more value than it burns:
    /// `rateNum * pointValue(toDomain) > rateDen * pointValue(fromDomain)`. Agreements that obey this
    /// rule cannot form a loop of exchanges that ends with more value than it began with.
    /// @param agreementId The agreement.
    /// @param rateNum The proposed numerator.
    /// @param rateDen The proposed denominator.
    /// @param valueFrom The source domain's point value.
    /// @param valueTo The destination domain's point value.
    error PointsLedgerAgreementCreatesValue(
        AgreementId agreementId, uint256 rateNum, uint256 rateDen, uint256 valueFrom, uint256 valueTo
    );

    /// @notice Thrown when a side proposes a ninth version of an agreement before any of its
    /// versions came into force since the last one did; the count starts again when a version
    /// comes into force.
    /// @param agreementId The agreement.
    /// @param domainId The proposing side.
    error PointsLedgerTooManyProposals(AgreementId agreementId, uint32 domainId);

    /// @notice Thrown by {approveAgreement} when the version given is not the pending one.
    /// @param agreementId The agreement.
    /// @param version The version that is not pending.
    error PointsLedgerNotPending(AgreementId agreementId, uint16 version);

    /// @notice Thrown by {approveAgreement} when the caller's side already approved the pending version.
    /// @param agreementId The agreement.
    /// @param domainId The side that already approved.
    error PointsLedgerAlreadyApproved(AgreementId agreementId, uint32 domainId);

    /// @notice Thrown by {setAgreementSuspended} when the caller's side already is in the state asked for.
    /// @param agreementId The agreement.
    /// @param domainId The side whose suspension is unchanged.
    error PointsLedgerSuspensionUnchanged(AgreementId agreementId, uint32 domainId);

    /// @notice Thrown when a redemption names an address that is not a partner of the domain.
    /// @param domainId The domain.
    /// @param partner The address that is not a partner.
    error PointsLedgerUnknownPartner(uint32 domainId, address partner);

    /// @notice Thrown when a redemption carries a non-zero order reference already paid to the same
    /// partner, in any domain: one order is paid once.
    /// @param partner The partner.
    /// @param orderRef The order reference hash already paid.
    error PointsLedgerOrderAlreadyPaid(address partner, bytes32 orderRef);

    /// @notice Thrown when a transfer is attempted in a domain whose points may not move between residents.
    /// @param domainId The domain.
    error PointsLedgerNotTransferable(uint32 domainId);

    /// @notice Thrown by {closePeriod} when the period has not ended yet.
    /// @param period The period asked for.
    /// @param current The current period.
    error PointsLedgerPeriodNotEnded(uint32 period, uint32 current);

    /// @notice Thrown by {closePeriod} when the period already is closed.
    /// @param period The period.
    error PointsLedgerPeriodClosed(uint32 period);

    /// @notice Thrown by {confirmSettlement} when the period is not closed yet.
    /// @param period The period.
    error PointsLedgerPeriodNotClosed(uint32 period);

    /// @notice Thrown by {confirmSettlement} when the domain's net position in the period is zero.
    /// @param period The period.
    /// @param domainId The domain with nothing to confirm.
    error PointsLedgerNoPosition(uint32 period, uint32 domainId);

    /// @notice Thrown by {confirmSettlement} when the domain's position already is confirmed.
    /// @param period The period.
    /// @param domainId The domain that already confirmed.
    error PointsLedgerAlreadyConfirmed(uint32 period, uint32 domainId);

    /// @notice Thrown by {confirmSettlement} when the payment reference is zero.
    /// @param paymentRef The rejected reference.
    error PointsLedgerInvalidPaymentRef(bytes32 paymentRef);

    // ─────────────────────────────────────────────────────────── Events

    /// @notice Emitted once, at deployment, with the ledger's period clock.
    /// @param genesisTime Start of period 0.
    /// @param periodSeconds Length of a period.
    event LedgerConfigured(uint64 genesisTime, uint64 periodSeconds);

    /// @notice Emitted when the pauser pauses the whole ledger.
    /// @param by The pauser.
    event LedgerPaused(address by);

    /// @notice Emitted when the council lifts the global pause.
    /// @param by The council.
    event LedgerUnpaused(address by);

    /// @notice Emitted when a domain is created (at deployment or by the council).
    /// @param domainId The new domain.
    /// @param name Its name.
    /// @param agency Its agency.
    /// @param pointValue Settlement value of one point.
    /// @param residentCap Per-resident cap per period (0: none).
    /// @param transferable Whether residents may give points to each other.
    event DomainCreated(
        uint32 indexed domainId, string name, address agency, uint40 pointValue, uint64 residentCap, bool transferable
    );

    /// @notice Emitted when the council changes a domain's agency address.
    /// @param domainId The domain.
    /// @param agency The new agency address.
    event DomainAgencyChanged(uint32 indexed domainId, address agency);

    /// @notice Emitted when the council changes a domain's per-resident cap.
    /// @param domainId The domain.
    /// @param residentCap The new per-resident cap per period (0: none).
    event ResidentCapChanged(uint32 indexed domainId, uint64 residentCap);

    /// @notice Emitted when the council allows or forbids transfers between residents in a domain.
    /// @param domainId The domain.
    /// @param transferable Whether residents may now give points to each other.
    event TransferPolicyChanged(uint32 indexed domainId, bool transferable);

    /// @notice Emitted when the pauser pauses one domain.
    /// @param domainId The domain.
    /// @param by The pauser.
    event DomainPaused(uint32 indexed domainId, address by);

    /// @notice Emitted when the council lifts a domain's pause.
    /// @param domainId The domain.
    /// @param by The council.
    event DomainUnpaused(uint32 indexed domainId, address by);

    /// @notice Emitted when the council admits an issuer to a domain or changes its quota.
    /// @param domainId The domain.
    /// @param issuer The issuer.
    /// @param quota Its quota per period.
    event IssuerQuotaSet(uint32 indexed domainId, address indexed issuer, uint96 quota);

    /// @notice Emitted when the council removes an issuer from a domain.
    /// @param domainId The domain.
    /// @param issuer The issuer removed.
    event IssuerRemoved(uint32 indexed domainId, address indexed issuer);

    /// @notice Emitted when an issuer is suspended.
    /// @param domainId The domain.
    /// @param issuer The suspended issuer.
    /// @param by Who suspended it: the council, the pauser or the domain's agency.
    event IssuerSuspended(uint32 indexed domainId, address indexed issuer, address by);

    /// @notice Emitted when the council reinstates a suspended issuer.
    /// @param domainId The domain.
    /// @param issuer The reinstated issuer.
    event IssuerReinstated(uint32 indexed domainId, address indexed issuer);

    /// @notice Emitted when a domain's agency registers or removes a partner.
    /// @param domainId The domain.
    /// @param partner The partner.
    /// @param allowed Whether the partner may now receive redemptions.
    event PartnerSet(uint32 indexed domainId, address indexed partner, bool allowed);

    /// @notice Emitted when points come into being: once per issuance, once per item of a batch.
    /// @param domainId The domain.
    /// @param resident The resident credited.
    /// @param claimId The issuer's claim id, usable once per domain, ever.
    /// @param issuer The issuer.
    /// @param amount Points issued.
    /// @param period The period of issuance.
    event PointsIssued(
        uint32 indexed domainId,
        address indexed resident,
        uint256 indexed claimId,
        address issuer,
        uint256 amount,
        uint32 period
    );

    /// @notice Emitted when a resident's points of one domain are burned and points of another credited.
    /// @param resident The resident.
    /// @param agreementId The agreement used (`fromDomain << 32 | toDomain`).
    /// @param version Its version.
    /// @param amountIn Points burned in the source domain.
    /// @param amountOut Points credited in the destination domain.
    /// @param period The period, whose settlement records `amountOut * pointValue(toDomain)` owed.
    /// @param nonce The intent's nonce.
    event PointsExchanged(
        address indexed resident,
        AgreementId indexed agreementId,
        uint16 version,
        uint256 amountIn,
        uint256 amountOut,
        uint32 period,
        uint256 nonce
    );

    /// @notice Emitted when a resident spends points at a partner and they are burned.
    /// @param domainId The domain.
    /// @param resident The resident.
    /// @param partner The partner.
    /// @param amount Points burned.
    /// @param orderRef Salted hash of the order reference.
    /// @param nonce The intent's nonce.
    event PointsRedeemed(
        uint32 indexed domainId,
        address indexed resident,
        address indexed partner,
        uint256 amount,
        bytes32 orderRef,
        uint256 nonce
    );

    /// @notice Emitted when points move between residents of a transferable domain.
    /// @param domainId The domain.
    /// @param from The resident giving.
    /// @param to The resident receiving.
    /// @param amount Points moved.
    /// @param nonce The giving resident's intent nonce.
    event PointsTransferred(
        uint32 indexed domainId, address indexed from, address indexed to, uint256 amount, uint256 nonce
    );

    /// @notice Emitted when a version of an agreement is proposed (and approved by the proposing side).
    /// @param agreementId The agreement.
    /// @param fromDomain The source domain.
    /// @param toDomain The destination domain.
    /// @param version The new version's number.
    /// @param rateNum Rate numerator.
    /// @param rateDen Rate denominator.
    /// @param periodCap Most points in per period (0: none).
    /// @param validFromPeriod First period of the window.
    /// @param validUntilPeriod Last period of the window.
    /// @param proposer The proposing agency.
    event AgreementProposed(
        AgreementId indexed agreementId,
        uint32 indexed fromDomain,
        uint32 indexed toDomain,
        uint16 version,
        uint40 rateNum,
        uint40 rateDen,
        uint64 periodCap,
        uint32 validFromPeriod,
        uint32 validUntilPeriod,
        address proposer
    );

    /// @notice Emitted when one side approves a pending version.
    /// @param agreementId The agreement.
    /// @param version The version approved.
    /// @param domainId The side that approved.
    /// @param by Its agency.
    event AgreementApproved(AgreementId indexed agreementId, uint16 version, uint32 domainId, address by);

    /// @notice Emitted when both sides approved a version: it is now the one in force.
    /// @param agreementId The agreement.
    /// @param version The version now in force.
    event AgreementActivated(AgreementId indexed agreementId, uint16 version);

    /// @notice Emitted when one side suspends the agreement in force, or lifts its own suspension.
    /// @param agreementId The agreement.
    /// @param domainId The side.
    /// @param suspended Whether that side now suspends it.
    /// @param by Its agency.
    event AgreementSuspensionChanged(AgreementId indexed agreementId, uint32 domainId, bool suspended, address by);

    /// @notice Emitted by {closePeriod} for each domain with a non-zero net position.
    /// @param period The closed period.
    /// @param domainId The domain.
    /// @param agency Its agency at closing.
    /// @param net Positive: owed to the agency; negative: owed by it.
    event SettlementPublished(uint32 indexed period, uint32 indexed domainId, address agency, int256 net);

    /// @notice Emitted when a period is closed; its positions sum to zero.
    /// @param period The period.
    /// @param openPositions The number of non-zero positions awaiting confirmation.
    event PeriodClosed(uint32 indexed period, uint256 openPositions);

    /// @notice Emitted when an agency confirms it paid or received its net position.
    /// @param period The period.
    /// @param domainId The domain.
    /// @param agency The confirming agency.
    /// @param paymentRef Its reference for the payment.
    event SettlementConfirmed(uint32 indexed period, uint32 indexed domainId, address agency, bytes32 paymentRef);

    /// @notice Emitted when every non-zero position of a period is confirmed (at closing, if there are none).
    /// @param period The period.
    event SettlementCompleted(uint32 indexed period);

    // ─────────────────────────────────────────────────────────── Domains and pauses (council, pauser)

    /// @notice Adds a domain. Requires the council. Emits {DomainCreated}.
    /// @param config The new domain's name, agency, point value, cap and transfer policy.
    /// @return domainId The new domain's id (the previous count plus one).
    function createDomain(DomainConfig calldata config) external returns (uint32 domainId);

    /// @notice Changes a domain's agency address. Requires the council. Emits {DomainAgencyChanged}.
    /// @param domainId The domain.
    /// @param agency The new agency address (not zero).
    function setDomainAgency(uint32 domainId, address agency) external;

    /// @notice Changes the per-resident cap of a domain (0: none). Requires the council. Emits {ResidentCapChanged}.
    /// @param domainId The domain.
    /// @param residentCap Most points one resident may be issued per period.
    function setResidentCap(uint32 domainId, uint64 residentCap) external;

    /// @notice Allows or forbids transfers between residents in a domain. Requires the council.
    /// Emits {TransferPolicyChanged}.
    /// @param domainId The domain.
    /// @param transferable Whether residents may give points to each other.
    function setTransferable(uint32 domainId, bool transferable) external;

    /// @notice Pauses the whole ledger. While it is paused, nothing moves points (issuance, exchange,
    /// redemption, transfer), no agreement or partner changes and no period closes or settles; each
    /// such call reverts with {PointsLedgerPaused}. What stays open: every call of the council
    /// (domains, issuers, quotas, caps, roles, lifting pauses), {pauseDomain}, {suspendIssuer} and
    /// renouncing one's own role. Requires the pauser and the ledger not paused. Emits {LedgerPaused}.
    function pause() external;

    /// @notice Lifts the global pause; domains paused on their own stay paused. Requires the council.
    /// Emits {LedgerUnpaused}.
    function unpause() external;

    /// @notice Pauses one domain. While it is paused, nothing in it changes but by the council or the
    /// pauser: no points move in it (issuance, exchange in or out, redemption, transfer), no partner of
    /// it is set ({setPartner}), no agreement from or to it is proposed, approved or has its suspension
    /// changed, and its settlement is not confirmed ({confirmSettlement}); each such call reverts with
    /// {PointsLedgerDomainPaused}. What stays open: the council's changes to its configuration (its
    /// agency, resident cap, transfer policy, issuers and their quotas, reinstating an issuer) and
    /// lifting the pause; suspending its issuers ({suspendIssuer}); closing a period, which nets what
    /// was exchanged before ({closePeriod}). Allowed during a global pause. Requires the pauser.
    /// Emits {DomainPaused}.
    /// @param domainId The domain.
    function pauseDomain(uint32 domainId) external;

    /// @notice Lifts a domain's pause. Requires the council. Emits {DomainUnpaused}.
    /// @param domainId The domain.
    function unpauseDomain(uint32 domainId) external;

    // ─────────────────────────────────────────────────────────── Issuers and issuance

    /// @notice Admits an issuer to a domain or changes its quota per period. Requires the council.
    /// Emits {IssuerQuotaSet}.
    /// @param domainId The domain.
    /// @param issuer The issuer (not zero).
    /// @param quota Most points it may issue per period (not zero).
    function setIssuerQuota(uint32 domainId, address issuer, uint96 quota) external;

    /// @notice Removes an issuer from a domain. Requires the council. Emits {IssuerRemoved}.
    /// @param domainId The domain.
    /// @param issuer The admitted issuer to remove.
    function removeIssuer(uint32 domainId, address issuer) external;

    /// @notice Stops an issuer from issuing. Requires the council, the pauser or the domain's agency.
    /// Emits {IssuerSuspended}.
    /// @param domainId The domain.
    /// @param issuer The admitted, unsuspended issuer.
    function suspendIssuer(uint32 domainId, address issuer) external;

    /// @notice Lets a suspended issuer issue again. Requires the council. Emits {IssuerReinstated}.
    /// @param domainId The domain.
    /// @param issuer The suspended issuer.
    function reinstateIssuer(uint32 domainId, address issuer) external;

    /// @notice Issues points to one resident.
    /// @dev Requires an admitted, unsuspended issuer of the domain; neither ledger nor domain paused;
    /// an unused claim id; the issuer's quota and the resident's cap for this period not exceeded.
    /// Emits {PointsIssued}.
    /// @param domainId The domain.
    /// @param resident The resident credited (not zero).
    /// @param amount Points to issue (1 to {MAX_AMOUNT}).
    /// @param claimId The issuer's claim id; bits 8..255 select a bitmap word, bits 0..7 a bit in it,
    /// so claims numbered in sequence share storage.
    function issue(uint32 domainId, address resident, uint256 amount, uint256 claimId) external;

    /// @notice Issues points to many residents at once, all or nothing. Same requirements as {issue}
    /// for every item, with the quota checked against the batch total. Emits {PointsIssued} per item.
    /// @param domainId The domain.
    /// @param items Residents, amounts and claim ids (1 to {MAX_BATCH} items).
    function issueBatch(uint32 domainId, Issuance[] calldata items) external;

    // ─────────────────────────────────────────────────────────── Residents' intents (anyone submits)

    /// @notice Exchanges points at the agreement in force between two domains.
    /// @dev Requires a valid signature of `intent.resident` over `intent` (EIP-712), the resident's
    /// next nonce in the source domain, a deadline not passed, neither the ledger nor either domain
    /// paused, an agreement in force with room under its cap, enough balance and at least
    /// `minAmountOut` out. Emits {PointsExchanged}.
    /// @param intent The resident's signed intent.
    /// @param v Signature recovery id.
    /// @param r Signature r.
    /// @param s Signature s (low half, as ECDSA requires).
    /// @return amountOut Points credited in the destination domain.
    function exchange(ExchangeIntent calldata intent, uint8 v, bytes32 r, bytes32 s)
        external
        returns (uint256 amountOut);

    /// @notice Burns points for a partner's good or service.
    /// @dev Requires a valid signature, the resident's next nonce in the domain, a deadline not
    /// passed, neither the ledger nor the domain paused, a registered partner, an order reference
    /// that is zero (no reference) or not yet paid to this partner, and enough balance.
    /// Emits {PointsRedeemed}.
    /// @param intent The resident's signed intent.
    /// @param v Signature recovery id.
    /// @param r Signature r.
    /// @param s Signature s.
    function redeem(RedeemIntent calldata intent, uint8 v, bytes32 r, bytes32 s) external;

    /// @notice Moves points to another resident, where the domain allows it.
    /// @dev Requires a valid signature, the resident's next nonce in the domain, a deadline not
    /// passed, neither the ledger nor the domain paused, a transferable domain and enough balance.
    /// Emits {PointsTransferred}.
    /// @param intent The resident's signed intent.
    /// @param v Signature recovery id.
    /// @param r Signature r.
    /// @param s Signature s.
    function transfer(TransferIntent calldata intent, uint8 v, bytes32 r, bytes32 s) external;

    /// @notice {exchange} for a passkey account: authorised by a WebAuthn assertion whose challenge
    /// is the intent's EIP-712 digest (the digest an ECDSA signature would sign).
    /// @dev Requires what {exchange} requires, except that the registry of passkey accounts
    /// (`PASSKEY_ACCOUNTS_REGISTRY`) must accept the assertion for `intent.resident`; it reverts with its own
    /// `PasskeyAccounts...` error otherwise. Emits its `PasskeyAssertionVerified`, then
    /// {PointsExchanged}.
    /// @param intent The resident's intent.
    /// @param assertion The ABI-encoded `IPasskeyAccounts.Assertion`.
    /// @return amountOut Points credited in the destination domain.
    function exchangeByPasskey(ExchangeIntent calldata intent, bytes calldata assertion)
        external
        returns (uint256 amountOut);

    /// @notice {redeem} for a passkey account, authorised as {exchangeByPasskey} is.
    /// Emits `PasskeyAssertionVerified`, then {PointsRedeemed}.
    /// @param intent The resident's intent.
    /// @param assertion The ABI-encoded `IPasskeyAccounts.Assertion`.
    function redeemByPasskey(RedeemIntent calldata intent, bytes calldata assertion) external;

    /// @notice {transfer} for a passkey account, authorised as {exchangeByPasskey} is.
    /// Emits `PasskeyAssertionVerified`, then {PointsTransferred}.
    /// @param intent The resident's intent.
    /// @param assertion The ABI-encoded `IPasskeyAccounts.Assertion`.
    function transferByPasskey(TransferIntent calldata intent, bytes calldata assertion) external;

    /// @notice Registers or removes a partner that may receive redemptions in a domain.
    /// Requires the domain's agency and neither the ledger nor the domain paused. Emits {PartnerSet}.
    /// @param domainId The domain.
    /// @param partner The partner (not zero).
    /// @param allowed Whether it may receive redemptions.
    function setPartner(uint32 domainId, address partner, bool allowed) external;

    // ─────────────────────────────────────────────────────────── Agreements (agencies)

    /// @notice Proposes a new version of the agreement from `fromDomain` to `toDomain`, approved by
    /// the caller's side. Replaces any pending version (one per direction); the version in force stays
    /// until the new one is approved by the other side. Requires the agency of either domain, neither
    /// the ledger nor either domain paused, a rate that credits no more value than it burns
    /// (`rateNum * pointValue(toDomain) <= rateDen * pointValue(fromDomain)`), and fewer than eight
    /// versions proposed by the caller's side since a version last came into force. Version numbers
    /// are never reused while they could matter: a replaced version's number stays used, and after
    /// 65535 the numbers start again at 1. Emits {AgreementProposed} and {AgreementApproved}, and
    /// {AgreementActivated} when one agency runs both domains.
    /// @param fromDomain The source domain.
    /// @param toDomain The destination domain.
    /// @param rateNum Rate numerator (not zero).
    /// @param rateDen Rate denominator (not zero).
    /// @param periodCap Most points in per period (0: none).
    /// @param validFromPeriod First period of the window.
    /// @param validUntilPeriod Last period of the window (not before the first).
    /// @return agreementId The agreement's id.
    /// @return version The new version's number.
    function proposeAgreement(
        uint32 fromDomain,
        uint32 toDomain,
        uint40 rateNum,
        uint40 rateDen,
        uint64 periodCap,
        uint32 validFromPeriod,
        uint32 validUntilPeriod
    ) external returns (AgreementId agreementId, uint16 version);

    /// @notice Approves the pending `version`; when both sides approved, it comes into force (the
    /// agreement's first version only while fewer than {MAX_AGREEMENTS} agreements have been in force).
    /// Requires the agency of a side that has not approved it and neither the ledger nor either domain
    /// paused. Emits {AgreementApproved} and, when it comes into force, {AgreementActivated}.
    /// @param agreementId The agreement.
    /// @param version The pending version.
    function approveAgreement(AgreementId agreementId, uint16 version) external;

    /// @notice Suspends the agreement in force, or lifts the caller's side's suspension. Requires
    /// the agency of either side and neither the ledger nor either domain paused; each side lifts only
    /// its own suspension.
    /// Emits {AgreementSuspensionChanged}.
    /// @param agreementId The agreement.
    /// @param suspended Whether the caller's side suspends it.
    function setAgreementSuspended(AgreementId agreementId, bool suspended) external;

    // ─────────────────────────────────────────────────────────── Settlement

    /// @notice Nets the obligations of every agreement in an ended period and publishes each
    /// agency's position. Anyone may call it once per ended period, while the ledger is not paused.
    /// Emits {SettlementPublished} per domain with a non-zero position, {PeriodClosed}, and
    /// {SettlementCompleted} if there is none.
    /// @param period The ended period.
    function closePeriod(uint32 period) external;

    /// @notice Records that the caller's agency paid or received its net position.
    /// Requires the domain's agency, a non-zero, unconfirmed position and neither the ledger nor the
    /// domain paused.
    /// Emits {SettlementConfirmed}, and {SettlementCompleted} for the last one.
    /// @param period The closed period.
    /// @param domainId The caller's domain.
    /// @param paymentRef The agency's reference for the payment (not zero).
    function confirmSettlement(uint32 period, uint32 domainId, bytes32 paymentRef) external;

    // ─────────────────────────────────────────────────────────── Views

    /// @notice The period containing the current block's timestamp.
    /// @return The current period.
    function currentPeriod() external view returns (uint32);

    /// @notice The number of domains; ids run from 1 to this.
    /// @return The number of domains.
    function domainCount() external view returns (uint32);

    /// @notice A domain's configuration and state; reverts for a missing domain.
    /// @param domainId The domain.
    /// @return Its name, agency, point value, cap, policy, pause and supply.
    function domain(uint32 domainId) external view returns (DomainView memory);

    /// @notice Whether the ledger as a whole is paused.
    /// @return True while paused.
    function paused() external view returns (bool);

    /// @notice A resident's balance in a domain. Keeps ERC-1155's `(account, id)` order; zero for a
    /// domain id beyond uint32.
    /// @param resident The resident.
    /// @param domainId The domain.
    /// @return Points held.
    function balanceOf(address resident, uint256 domainId) external view returns (uint256);

    /// @notice The nonce a resident's next intent spending from a domain must carry. Keeps the
    /// `(account, id)` order of {balanceOf}, whose slot it shares.
    /// @param resident The resident.
    /// @param domainId The domain spent from.
    /// @return The next nonce.
    function nonces(address resident, uint32 domainId) external view returns (uint256);

    /// @notice Points a resident was issued in a domain in the current period.
    /// @param domainId The domain.
    /// @param resident The resident.
    /// @return Points issued this period, counted against the domain's cap.
    function residentIssuedThisPeriod(uint32 domainId, address resident) external view returns (uint256);

    /// @notice An issuer's standing and quota use in a domain.
    /// @param domainId The domain.
    /// @param issuer The issuer.
    /// @return Admitted, suspended, quota and use this period.
    function issuerState(uint32 domainId, address issuer) external view returns (IssuerView memory);

    /// @notice Whether a claim id was used in a domain.
    /// @param domainId The domain.
    /// @param claimId The claim id.
    /// @return True once used.
    function isClaimUsed(uint32 domainId, uint256 claimId) external view returns (bool);

    /// @notice Whether an address is a partner of a domain.
    /// @param domainId The domain.
    /// @param partner The address.
    /// @return True if it may receive redemptions.
    function isPartner(uint32 domainId, address partner) external view returns (bool);

    /// @notice The agreement id for a pair of domains: `fromDomain << 32 | toDomain`.
    /// @param fromDomain The source domain.
    /// @param toDomain The destination domain.
    /// @return The id.
    function agreementIdOf(uint32 fromDomain, uint32 toDomain) external pure returns (AgreementId);

    /// @notice The number of agreements ever proposed (at most one per ordered pair of domains).
    /// @return The number of agreements.
    function agreementCount() external view returns (uint256);

    /// @notice The id of the `index`-th agreement ever proposed.
    /// @param index Position, from 0 to {agreementCount} - 1.
    /// @return The id.
    function agreementAt(uint256 index) external view returns (AgreementId);

    /// @notice An agreement's versions and approvals.
    /// @param agreementId The agreement.
    /// @return The version in force, its suspensions, the pending version and its approvals.
    function agreement(AgreementId agreementId) external view returns (AgreementView memory);

    /// @notice What an exchange would give now, and under which agreement version; reverts as
    /// {exchange} would for a zero or oversized amount and a missing or not-in-force agreement.
    /// @param fromDomain The source domain.
    /// @param toDomain The destination domain.
    /// @param amountIn Points in.
    /// @return amountOut Points out, rounded down.
    /// @return agreementId The agreement.
    /// @return version The version in force.
    function quoteExchange(uint32 fromDomain, uint32 toDomain, uint256 amountIn)
        external
        view
        returns (uint256 amountOut, AgreementId agreementId, uint16 version);

    /// @notice Points exchanged under an agreement in a period, and the value owed for them.
    /// @param agreementId The agreement.
    /// @param period The period.
    /// @return amountIn Points in, counted against the agreement's cap.
    /// @return owed Value owed to the destination domain's agency.
    function agreementUsage(AgreementId agreementId, uint32 period)
        external
        view
        returns (uint128 amountIn, uint128 owed);

    /// @notice Whether a period's settlement was closed.
    /// @param period The period.
    /// @return True once closed.
    function isPeriodClosed(uint32 period) external view returns (bool);

    /// @notice A domain's position in a closed period.
    /// @param period The period.
    /// @param domainId The domain.
    /// @return Its net, whether confirmed, and the payment reference.
    function settlementPosition(uint32 period, uint32 domainId)
        external
        view
        returns (SettlementPosition memory);
}
