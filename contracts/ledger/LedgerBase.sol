// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IPointsLedger} from "../interfaces/IPointsLedger.sol";

/// @dev Storage, the period clock and the checks every part of the ledger shares. Storage is packed
/// so that each hot path touches as few slots as possible: a resident's balance shares a slot with
/// their cap use, an issuer's quota with its use, a domain's supply with its flags, and an
/// agreement's terms fit one slot.
abstract contract LedgerBase is IPointsLedger, AccessControl {
    // ─────────────────────────────────────────────────────────── Constants and roles

    /// @notice The council (the agencies together, through their council contract).
    bytes32 public constant COUNCIL_ROLE = DEFAULT_ADMIN_ROLE;
    /// @notice May pause the ledger or a domain; only the council lifts a pause.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /// @notice Largest amount in one issuance, exchange, redemption or transfer.
    uint256 public constant MAX_AMOUNT = type(uint64).max;
    /// @notice Largest number of items in one batch issuance.
    uint256 public constant MAX_BATCH = 500;
    /// @notice Largest number of domains; bounds the settlement loop.
    uint256 public constant MAX_DOMAINS = 64;
    /// @notice Largest number of agreements; bounds the settlement loop.
    uint256 public constant MAX_AGREEMENTS = 256;

    /// @notice Start of period 0.
    uint256 public immutable GENESIS_TIME;
    /// @notice Length of a period in seconds.
    uint256 public immutable PERIOD_SECONDS;

    uint8 internal constant EXISTS = 1;
    uint8 internal constant PAUSED = 2;
    uint8 internal constant LEDGER_PAUSED = 4;
    uint8 internal constant TRANSFERABLE = 8;

    // ─────────────────────────────────────────────────────────── Storage types

    /// @dev One slot: everything issuance and exchange read or change about a domain. The global
    /// pause is mirrored into `flags`, so the hot paths check both pauses with the one read they make.
    struct DomainLedger {
        uint128 supply;
        uint64 residentCap;
        uint40 pointValue;
        uint8 flags;
    }

    /// @dev One slot: a resident's balance in a domain, what they were issued in `capPeriod`, and the
    /// next nonce of their intents spending from this domain (kept here so an intent costs no extra slot).
    struct Account {
        uint96 balance;
        uint32 capPeriod;
        uint64 capUsed;
        uint64 nonce;
    }

    /// @dev One slot: an issuer's standing, quota and use in `period`.
    struct IssuerQuota {
        bool admitted;
        bool suspended;
        uint32 period;
        uint96 quota;
        uint96 used;
    }

    /// @dev One slot: the version in force and each side's suspension.
    struct ActiveAgreement {
        AgreementTerms terms;
        bool suspendedByFrom;
        bool suspendedByTo;
    }

    /// @dev A version waiting for the second approval.
    struct PendingAgreement {
        AgreementTerms terms;
        bool approvedByFrom;
        bool approvedByTo;
    }

    /// @dev One slot per agreement and period: the cap use and the value owed to the destination.
    struct Usage {
        uint128 amountIn;
        uint128 owed;
    }

    /// @dev Settlement state of a period.
    struct PeriodSettlement {
        bool closed;
        uint32 openPositions;
    }

    // ─────────────────────────────────────────────────────────── Storage

    bool private _paused;
    uint32 internal _domainCount;

    mapping(uint32 domainId => DomainLedger) internal _domains;
    mapping(uint32 domainId => string) internal _domainNames;
    mapping(uint32 domainId => address) internal _domainAgencies;
    mapping(uint32 domainId => mapping(address resident => Account)) internal _accounts;
    mapping(uint32 domainId => mapping(address issuer => IssuerQuota)) internal _issuers;
    mapping(uint32 domainId => mapping(uint256 wordPos => uint256 bits)) internal _claimBitmaps;
    mapping(uint32 domainId => mapping(address partner => bool)) internal _partners;

    uint64[] internal _agreementIds;
    mapping(uint64 agreementId => ActiveAgreement) internal _activeAgreements;
    mapping(uint64 agreementId => PendingAgreement) internal _pendingAgreements;
    mapping(uint64 agreementId => mapping(uint32 period => Usage)) internal _usage;

    mapping(uint32 period => PeriodSettlement) internal _settlements;
    mapping(uint32 period => mapping(uint32 domainId => SettlementPosition)) internal _positions;

    // ─────────────────────────────────────────────────────────── Constructor

    /// @param council Holder of the council role (the council contract).
    /// @param pauser Holder of the pauser role.
    /// @param periodSeconds Length of a period.
    constructor(address council, address pauser, uint256 periodSeconds) {
        if (council == address(0)) revert PointsLedgerInvalidAddress(council);
        if (pauser == address(0)) revert PointsLedgerInvalidAddress(pauser);
        if (periodSeconds == 0 || periodSeconds > type(uint32).max) {
            revert PointsLedgerInvalidPeriodLength(periodSeconds);
        }
        GENESIS_TIME = block.timestamp;
        PERIOD_SECONDS = periodSeconds;
        _grantRole(COUNCIL_ROLE, council);
        _grantRole(PAUSER_ROLE, pauser);
        emit LedgerConfigured(uint64(block.timestamp), uint64(periodSeconds));
    }

    // ─────────────────────────────────────────────────────────── Views

    /// @inheritdoc IPointsLedger
    function currentPeriod() public view returns (uint32) {
        return _currentPeriod();
    }

    /// @inheritdoc IPointsLedger
    function paused() public view returns (bool) {
        return _paused;
    }

    /// @inheritdoc IPointsLedger
    function balanceOf(address resident, uint256 domainId) external view returns (uint256) {
        if (domainId > type(uint32).max) return 0;
        return _accounts[uint32(domainId)][resident].balance;
    }

    // ─────────────────────────────────────────────────────────── Internal

    function _currentPeriod() internal view returns (uint32) {
        // A uint32 of periods of at least one second outlasts the chain.
        return uint32((block.timestamp - GENESIS_TIME) / PERIOD_SECONDS);
    }

    /// @dev Sets the global pause and mirrors it into every domain's flags (at most MAX_DOMAINS writes).
    function _setPaused(bool value) internal {
        _paused = value;
        uint32 count = _domainCount;
        for (uint32 domainId = 1; domainId <= count; ++domainId) {
            _setFlag(_domains[domainId], LEDGER_PAUSED, value);
        }
    }

    function _requireNotPaused() internal view {
        if (_paused) revert PointsLedgerPaused();
    }

    /// @dev Reverts unless the domain exists and neither it nor the ledger is paused; returns its
    /// ledger slot for the caller to update.
    function _activeDomain(uint32 domainId) internal view returns (DomainLedger storage d) {
        d = _domains[domainId];
        uint8 flags = d.flags;
        if (flags & EXISTS == 0) revert PointsLedgerUnknownDomain(domainId);
        if (flags & LEDGER_PAUSED != 0) revert PointsLedgerPaused();
        if (flags & PAUSED != 0) revert PointsLedgerDomainPaused(domainId);
    }

    function _existingDomain(uint32 domainId) internal view returns (DomainLedger storage d) {
        d = _domains[domainId];
        if (d.flags & EXISTS == 0) revert PointsLedgerUnknownDomain(domainId);
    }

    function _setFlag(DomainLedger storage d, uint8 flag, bool value) internal {
        d.flags = value ? d.flags | flag : d.flags & ~flag;
    }

    function _requireAgency(uint32 domainId) internal view {
        if (_domainAgencies[domainId] != msg.sender) revert PointsLedgerNotDomainAgency(domainId, msg.sender);
    }

    function _requireAmount(uint256 amount) internal pure {
        if (amount == 0) revert PointsLedgerZeroAmount();
        if (amount > MAX_AMOUNT) revert PointsLedgerAmountTooLarge(amount);
    }

    /// @dev Spends a resident's intent: checks its nonce is the next one for the domain, and takes
    /// `amount` from the balance, in one slot write.
    function _debitIntent(uint32 domainId, address resident, uint256 amount, uint256 nonce) internal {
        Account storage account = _accounts[domainId][resident];
        uint256 expected = account.nonce;
        if (nonce != expected) revert PointsLedgerInvalidNonce(resident, domainId, nonce, expected);
        uint256 balance = account.balance;
        if (balance < amount) revert PointsLedgerInsufficientBalance(domainId, resident, balance, amount);
        // Cannot underflow: checked just above. Cannot overflow: 2^64 intents will not be signed.
        unchecked {
            account.balance = uint96(balance - amount);
            account.nonce = uint64(expected + 1);
        }
    }

    /// @dev Adds `amount` to a resident's balance without touching cap use (exchange in, transfer in).
    function _credit(uint32 domainId, address resident, uint256 amount) internal {
        Account storage account = _accounts[domainId][resident];
        uint256 balance = account.balance + amount;
        if (balance > type(uint96).max) revert PointsLedgerAmountTooLarge(balance);
        account.balance = uint96(balance);
    }
}
