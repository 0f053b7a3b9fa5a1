// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title City points ledger
/// @notice One ledger for every reward-point scheme ("domain") of a city. Agencies issue points for
/// verified deeds under public limits, residents exchange them at rates both agencies approved and
/// redeem them at partners, and agencies settle what they owe each other per period. Every change is
/// an event, so an auditor can rebuild the whole ledger from the chain alone.
/// @dev Amounts are whole points. Time is counted in periods of `PERIOD_SECONDS` from `GENESIS_TIME`;
/// quotas, caps, agreement windows and settlement all use the same period clock.
interface IPointsLedger {
    // ─────────────────────────────────────────────────────────── Types

    /// @notice Initial configuration of a domain, used at deployment and by {createDomain}.
    /// @param name Human-readable name, e.g. "volunteer".
    /// @param agency Address that acts for the domain's agency: agreements, partners, settlement.
    /// @param pointValue Settlement value of one point, in the city's accounting unit (e.g. fen).
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
        uint64 agreementId;
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
    /// @param orderRef Salted hash of the partner's order reference; never the reference itself.
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

    /// @notice The ledger as a whole is paused.
    error PointsLedgerPaused();
    /// @notice The ledger is not paused, so it cannot be unpaused.
    error PointsLedgerNotPaused();
    /// @param domainId The domain that does not exist.
    error PointsLedgerUnknownDomain(uint32 domainId);
    /// @param domainId The paused domain.
    error PointsLedgerDomainPaused(uint32 domainId);
    /// @param domainId The domain that is not paused.
    error PointsLedgerDomainNotPaused(uint32 domainId);
    /// @param count The number of domains that already exist.
    error PointsLedgerTooManyDomains(uint256 count);
    /// @param name The rejected name (empty or too long).
    error PointsLedgerInvalidName(string name);
    /// @param pointValue The rejected settlement value of a point.
    error PointsLedgerInvalidPointValue(uint256 pointValue);
    /// @param periodSeconds The rejected period length (zero or above 2^32 - 1).
    error PointsLedgerInvalidPeriodLength(uint256 periodSeconds);
    /// @param account The rejected address (the zero address, or one that may not hold this role).
    error PointsLedgerInvalidAddress(address account);
    /// @param domainId The domain.
    /// @param account The caller that is not the domain's agency.
    error PointsLedgerNotDomainAgency(uint32 domainId, address account);
    /// @param account The caller that may not suspend issuers of the domain.
    error PointsLedgerUnauthorized(address account);

    /// @param domainId The domain.
    /// @param account The caller that is not an admitted issuer of the domain.
    error PointsLedgerNotIssuer(uint32 domainId, address account);
    /// @param domainId The domain.
    /// @param issuer The issuer already admitted.
    error PointsLedgerIssuerExists(uint32 domainId, address issuer);
    /// @param domainId The domain.
    /// @param issuer The suspended issuer.
    error PointsLedgerIssuerSuspended(uint32 domainId, address issuer);
    /// @param domainId The domain.
    /// @param issuer The issuer that is not suspended.
    error PointsLedgerIssuerNotSuspended(uint32 domainId, address issuer);
    /// @param quota The rejected quota (zero).
    error PointsLedgerInvalidQuota(uint256 quota);
    /// @notice An amount of zero was given where points must move.
    error PointsLedgerZeroAmount();
    /// @param amount The amount above {MAX_AMOUNT}.
    error PointsLedgerAmountTooLarge(uint256 amount);
    /// @param size The batch size given (zero or above {MAX_BATCH}).
    error PointsLedgerInvalidBatchSize(uint256 size);
    /// @param domainId The domain.
    /// @param claimId The claim id that was already used.
    error PointsLedgerClaimUsed(uint32 domainId, uint256 claimId);
    /// @param domainId The domain.
    /// @param issuer The issuer.
    /// @param requested Points asked for.
    /// @param remaining Points left in the issuer's quota this period.
    error PointsLedgerQuotaExceeded(uint32 domainId, address issuer, uint256 requested, uint256 remaining);
    /// @param domainId The domain.
    /// @param resident The resident.
    /// @param requested Points asked for.
    /// @param remaining Points the resident may still be issued this period.
    error PointsLedgerResidentCapExceeded(uint32 domainId, address resident, uint256 requested, uint256 remaining);

    /// @param deadline The intent's deadline, already passed.
    error PointsLedgerExpiredSignature(uint256 deadline);
    /// @param signer The address the signature recovers to.
    /// @param resident The resident named in the intent.
    error PointsLedgerInvalidSigner(address signer, address resident);
    /// @param resident The resident.
    /// @param domainId The domain the intent spends from.
    /// @param nonce The intent's nonce.
    /// @param expected The resident's next nonce in that domain.
    error PointsLedgerInvalidNonce(address resident, uint32 domainId, uint256 nonce, uint256 expected);
    /// @param domainId The domain.
    /// @param resident The resident.
    /// @param balance The resident's balance.
    /// @param needed Points asked for.
    error PointsLedgerInsufficientBalance(uint32 domainId, address resident, uint256 balance, uint256 needed);
    /// @param domainId The domain given as both source and destination.
    error PointsLedgerSameDomain(uint32 domainId);
    /// @param fromDomain Source domain.
    /// @param toDomain Destination domain.
    error PointsLedgerNoAgreement(uint32 fromDomain, uint32 toDomain);
    /// @param agreementId The agreement.
    /// @param period The current period.
    error PointsLedgerAgreementNotInForce(uint64 agreementId, uint32 period);
    /// @param agreementId The agreement.
    /// @param requested Points asked for.
    /// @param remaining Points the agreement still accepts this period.
    error PointsLedgerAgreementCapExceeded(uint64 agreementId, uint256 requested, uint256 remaining);
    /// @param amountOut What the resident would receive.
    /// @param minAmountOut The least the resident accepted.
    error PointsLedgerSlippage(uint256 amountOut, uint256 minAmountOut);
    /// @param amountIn The amount that converts to zero points at the agreement's rate.
    error PointsLedgerExchangeTooSmall(uint256 amountIn);
    /// @param rateNum Rejected numerator.
    /// @param rateDen Rejected denominator.
    error PointsLedgerInvalidRate(uint256 rateNum, uint256 rateDen);
    /// @param validFromPeriod Rejected start.
    /// @param validUntilPeriod Rejected end.
    error PointsLedgerInvalidWindow(uint32 validFromPeriod, uint32 validUntilPeriod);
    /// @param count The number of agreements that already exist.
    error PointsLedgerTooManyAgreements(uint256 count);
    /// @param agreementId The agreement.
    /// @param version The version that is not pending.
    error PointsLedgerNotPending(uint64 agreementId, uint16 version);
    /// @param agreementId The agreement.
    /// @param domainId The side that already approved.
    error PointsLedgerAlreadyApproved(uint64 agreementId, uint32 domainId);
    /// @param agreementId The agreement.
    /// @param domainId The side whose suspension state already is what was asked.
    error PointsLedgerSuspensionUnchanged(uint64 agreementId, uint32 domainId);
    /// @param domainId The domain.
    /// @param partner The address that is not a partner of the domain.
    error PointsLedgerUnknownPartner(uint32 domainId, address partner);
    /// @param domainId The domain whose points cannot move between residents.
    error PointsLedgerNotTransferable(uint32 domainId);

    /// @param period The period asked for.
    /// @param current The current period.
    error PointsLedgerPeriodNotEnded(uint32 period, uint32 current);
    /// @param period The period already closed.
    error PointsLedgerPeriodClosed(uint32 period);
    /// @param period The period not closed yet.
    error PointsLedgerPeriodNotClosed(uint32 period);
    /// @param period The period.
    /// @param domainId The domain with no position to confirm (net zero).
    error PointsLedgerNoPosition(uint32 period, uint32 domainId);
    /// @param period The period.
    /// @param domainId The domain that already confirmed.
    error PointsLedgerAlreadyConfirmed(uint32 period, uint32 domainId);
    /// @param paymentRef The rejected payment reference (zero).
    error PointsLedgerInvalidPaymentRef(bytes32 paymentRef);

    // ─────────────────────────────────────────────────────────── Events

    /// @notice The ledger's period clock, emitted once at deployment.
    /// @param genesisTime Start of period 0.
    /// @param periodSeconds Length of a period.
    event LedgerConfigured(uint64 genesisTime, uint64 periodSeconds);
    /// @param by The pauser.
    event LedgerPaused(address by);
    /// @param by The council.
    event LedgerUnpaused(address by);
    /// @param domainId The new domain.
    /// @param name Its name.
    /// @param agency Its agency.
    /// @param pointValue Settlement value of one point.
    /// @param residentCap Per-resident cap per period (0: none).
    /// @param transferable Whether residents may give points to each other.
    event DomainCreated(
        uint32 indexed domainId, string name, address agency, uint40 pointValue, uint64 residentCap, bool transferable
    );
    /// @param domainId The domain.
    /// @param agency The new agency address.
    event DomainAgencyChanged(uint32 indexed domainId, address agency);
    /// @param domainId The domain.
    /// @param residentCap The new per-resident cap per period (0: none).
    event ResidentCapChanged(uint32 indexed domainId, uint64 residentCap);
    /// @param domainId The domain.
    /// @param transferable Whether residents may now give points to each other.
    event TransferPolicyChanged(uint32 indexed domainId, bool transferable);
    /// @param domainId The domain.
    /// @param by The pauser.
    event DomainPaused(uint32 indexed domainId, address by);
    /// @param domainId The domain.
    /// @param by The council.
    event DomainUnpaused(uint32 indexed domainId, address by);

    /// @param domainId The domain.
    /// @param issuer The issuer admitted or whose quota changed.
    /// @param quota Its quota per period.
    event IssuerQuotaSet(uint32 indexed domainId, address indexed issuer, uint96 quota);
    /// @param domainId The domain.
    /// @param issuer The issuer removed.
    event IssuerRemoved(uint32 indexed domainId, address indexed issuer);
    /// @param domainId The domain.
    /// @param issuer The suspended issuer.
    /// @param by Who suspended it.
    event IssuerSuspended(uint32 indexed domainId, address indexed issuer, address by);
    /// @param domainId The domain.
    /// @param issuer The reinstated issuer.
    event IssuerReinstated(uint32 indexed domainId, address indexed issuer);
    /// @param domainId The domain.
    /// @param partner The partner.
    /// @param allowed Whether the partner may now receive redemptions.
    event PartnerSet(uint32 indexed domainId, address indexed partner, bool allowed);

    /// @notice Points came into being.
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
    /// @notice Points of one domain were burned and points of another credited.
    /// @param resident The resident.
    /// @param agreementId The agreement used (`fromDomain << 32 | toDomain`).
    /// @param version Its version.
    /// @param amountIn Points burned in the source domain.
    /// @param amountOut Points credited in the destination domain.
    /// @param period The period, whose settlement records `amountOut * pointValue(toDomain)` owed.
    /// @param nonce The intent's nonce.
    event PointsExchanged(
        address indexed resident,
        uint64 indexed agreementId,
        uint16 version,
        uint256 amountIn,
        uint256 amountOut,
        uint32 period,
        uint256 nonce
    );
    /// @notice Points were spent at a partner and burned.
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
    /// @notice Points moved between residents of a transferable domain.
    event PointsTransferred(
        uint32 indexed domainId, address indexed from, address indexed to, uint256 amount, uint256 nonce
    );

    /// @notice A version of an agreement was proposed (and approved by the proposing side).
    event AgreementProposed(
        uint64 indexed agreementId,
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
    /// @notice One side approved a pending version.
    event AgreementApproved(uint64 indexed agreementId, uint16 version, uint32 domainId, address by);
    /// @notice Both sides approved: this version is now the one in force.
    event AgreementActivated(uint64 indexed agreementId, uint16 version);
    /// @notice One side suspended (or lifted its suspension of) the agreement.
    event AgreementSuspensionChanged(uint64 indexed agreementId, uint32 domainId, bool suspended, address by);

    /// @notice A closed period's net position for one domain's agency.
    /// @param net Positive: owed to the agency; negative: owed by it.
    event SettlementPublished(uint32 indexed period, uint32 indexed domainId, address agency, int256 net);
    /// @notice A period was closed; its positions sum to zero.
    /// @param openPositions The number of non-zero positions awaiting confirmation.
    event PeriodClosed(uint32 indexed period, uint256 openPositions);
    /// @notice An agency confirmed it paid or received its net position.
    event SettlementConfirmed(uint32 indexed period, uint32 indexed domainId, address agency, bytes32 paymentRef);
    /// @notice Every non-zero position of the period is confirmed.
    event SettlementCompleted(uint32 indexed period);

    // ─────────────────────────────────────────────────────────── Governance (council, pauser)

    /// @notice Adds a domain. Requires the council. Emits {DomainCreated}.
    function createDomain(DomainConfig calldata config) external returns (uint32 domainId);

    /// @notice Changes a domain's agency address. Requires the council. Emits {DomainAgencyChanged}.
    function setDomainAgency(uint32 domainId, address agency) external;

    /// @notice Changes the per-resident cap of a domain (0: none). Requires the council. Emits {ResidentCapChanged}.
    function setResidentCap(uint32 domainId, uint64 residentCap) external;

    /// @notice Allows or forbids transfers between residents in a domain. Requires the council.
    /// Emits {TransferPolicyChanged}.
    function setTransferable(uint32 domainId, bool transferable) external;

    /// @notice Admits an issuer to a domain or changes its quota per period. Requires the council.
    /// Emits {IssuerQuotaSet}.
    function setIssuerQuota(uint32 domainId, address issuer, uint96 quota) external;

    /// @notice Removes an issuer from a domain. Requires the council. Emits {IssuerRemoved}.
    function removeIssuer(uint32 domainId, address issuer) external;

    /// @notice Stops an issuer from issuing. Requires the council, the pauser or the domain's agency.
    /// Emits {IssuerSuspended}.
    function suspendIssuer(uint32 domainId, address issuer) external;

    /// @notice Lets a suspended issuer issue again. Requires the council. Emits {IssuerReinstated}.
    function reinstateIssuer(uint32 domainId, address issuer) external;

    /// @notice Stops every change to the ledger but the council's. Requires the pauser. Emits {LedgerPaused}.
    function pause() external;

    /// @notice Lifts the global pause. Requires the council. Emits {LedgerUnpaused}.
    function unpause() external;

    /// @notice Stops every movement of points in one domain (issuance, exchange in or out, redemption,
    /// transfer). Requires the pauser. Emits {DomainPaused}.
    function pauseDomain(uint32 domainId) external;

    /// @notice Lifts a domain's pause. Requires the council. Emits {DomainUnpaused}.
    function unpauseDomain(uint32 domainId) external;

    // ─────────────────────────────────────────────────────────── Issuance (issuers)

    /// @notice Issues points to one resident.
    /// @dev Requires an admitted, unsuspended issuer of the domain; neither ledger nor domain paused;
    /// an unused claim id; the issuer's quota and the resident's cap for this period not exceeded.
    /// Emits {PointsIssued}.
    /// @param claimId The issuer's claim id; bits 8..255 select a bitmap word, bits 0..7 a bit in it,
    /// so claims numbered in sequence share storage.
    function issue(uint32 domainId, address resident, uint256 amount, uint256 claimId) external;

    /// @notice Issues points to many residents at once, all or nothing. Same requirements as {issue}
    /// for every item, with the quota checked against the batch total. Emits {PointsIssued} per item.
    function issueBatch(uint32 domainId, Issuance[] calldata items) external;

    // ─────────────────────────────────────────────────────────── Residents' intents (anyone submits)

    /// @notice Exchanges points at the agreement in force between two domains.
    /// @dev Requires a valid signature of `intent.resident` over `intent` (EIP-712), the resident's
    /// next nonce in the source domain, a deadline not passed, neither the ledger nor either domain
    /// paused, an agreement in force with room under its cap, enough balance and at least
    /// `minAmountOut` out. Emits {PointsExchanged}.
    function exchange(ExchangeIntent calldata intent, uint8 v, bytes32 r, bytes32 s)
        external
        returns (uint256 amountOut);

    /// @notice Burns points for a partner's good or service.
    /// @dev Requires a valid signature, the resident's next nonce in the domain, a deadline not
    /// passed, neither the ledger nor the domain paused, a registered partner and enough balance.
    /// Emits {PointsRedeemed}.
    function redeem(RedeemIntent calldata intent, uint8 v, bytes32 r, bytes32 s) external;

    /// @notice Moves points to another resident, where the domain allows it.
    /// @dev Requires a valid signature, the resident's next nonce in the domain, a deadline not
    /// passed, neither the ledger nor the domain paused, a transferable domain and enough balance.
    /// Emits {PointsTransferred}.
    function transfer(TransferIntent calldata intent, uint8 v, bytes32 r, bytes32 s) external;

    // ─────────────────────────────────────────────────────────── Agreements and partners (agencies)

    /// @notice Proposes a new version of the agreement from `fromDomain` to `toDomain`, approved by
    /// the caller's side. Replaces any pending version; the version in force stays until the new one
    /// is approved by the other side. Requires the agency of either domain. Emits {AgreementProposed}.
    function proposeAgreement(
        uint32 fromDomain,
        uint32 toDomain,
        uint40 rateNum,
        uint40 rateDen,
        uint64 periodCap,
        uint32 validFromPeriod,
        uint32 validUntilPeriod
    ) external returns (uint64 agreementId, uint16 version);

    /// @notice Approves the pending `version`; when both sides approved, it comes into force.
    /// Requires the agency of a side that has not approved it. Emits {AgreementApproved} and,
    /// when it comes into force, {AgreementActivated}.
    function approveAgreement(uint64 agreementId, uint16 version) external;

    /// @notice Suspends the agreement in force, or lifts the caller's side's suspension. Requires
    /// the agency of either side; each side lifts only its own suspension.
    /// Emits {AgreementSuspensionChanged}.
    function setAgreementSuspended(uint64 agreementId, bool suspended) external;

    /// @notice Registers or removes a partner that may receive redemptions in a domain.
    /// Requires the domain's agency. Emits {PartnerSet}.
    function setPartner(uint32 domainId, address partner, bool allowed) external;

    // ─────────────────────────────────────────────────────────── Settlement

    /// @notice Nets the obligations of every agreement in an ended period and publishes each
    /// agency's position. Anyone may call it once per ended period.
    /// Emits {SettlementPublished} per domain with a non-zero position, and {PeriodClosed}.
    function closePeriod(uint32 period) external;

    /// @notice Records that the caller's agency paid or received its net position.
    /// Requires the domain's agency and a non-zero, unconfirmed position.
    /// Emits {SettlementConfirmed}, and {SettlementCompleted} for the last one.
    function confirmSettlement(uint32 period, uint32 domainId, bytes32 paymentRef) external;

    // ─────────────────────────────────────────────────────────── Views

    /// @notice The period containing the current block's timestamp.
    function currentPeriod() external view returns (uint32);

    /// @notice The number of domains; ids run from 1 to this.
    function domainCount() external view returns (uint32);

    /// @notice A domain's configuration and state.
    function domain(uint32 domainId) external view returns (DomainView memory);

    /// @notice Whether the ledger as a whole is paused.
    function paused() external view returns (bool);

    /// @notice A resident's balance in a domain.
    function balanceOf(address resident, uint256 domainId) external view returns (uint256);

    /// @notice Points a resident was issued in a domain in the current period.
    function residentIssuedThisPeriod(uint32 domainId, address resident) external view returns (uint256);

    /// @notice An issuer's standing and quota use in a domain.
    function issuerState(uint32 domainId, address issuer) external view returns (IssuerView memory);

    /// @notice Whether a claim id was used in a domain.
    function isClaimUsed(uint32 domainId, uint256 claimId) external view returns (bool);

    /// @notice The nonce a resident's next intent spending from a domain must carry.
    function nonces(address resident, uint32 domainId) external view returns (uint256);

    /// @notice Whether an address is a partner of a domain.
    function isPartner(uint32 domainId, address partner) external view returns (bool);

    /// @notice The agreement id for a pair of domains: `fromDomain << 32 | toDomain`.
    function agreementIdOf(uint32 fromDomain, uint32 toDomain) external pure returns (uint64);

    /// @notice The number of agreements ever proposed.
    function agreementCount() external view returns (uint256);

    /// @notice The id of the `index`-th agreement ever proposed.
    function agreementAt(uint256 index) external view returns (uint64);

    /// @notice An agreement's versions and approvals.
    function agreement(uint64 agreementId) external view returns (AgreementView memory);

    /// @notice What an exchange would give now, and under which agreement version; reverts as
    /// {exchange} would for a missing or not-in-force agreement.
    function quoteExchange(uint32 fromDomain, uint32 toDomain, uint256 amountIn)
        external
        view
        returns (uint256 amountOut, uint64 agreementId, uint16 version);

    /// @notice Points exchanged under an agreement in a period, and the value owed for them.
    function agreementUsage(uint64 agreementId, uint32 period) external view returns (uint128 amountIn, uint128 owed);

    /// @notice Whether a period's settlement was closed.
    function isPeriodClosed(uint32 period) external view returns (bool);

    /// @notice A domain's position in a closed period.
    function settlementPosition(uint32 period, uint32 domainId) external view returns (SettlementPosition memory);
}
