// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IPointsLedger} from "../interfaces/IPointsLedger.sol";
import {UsedBitmap} from "../libraries/UsedBitmap.sol";
import {LedgerAccounts} from "./LedgerAccounts.sol";
import {LedgerDomains} from "./LedgerDomains.sol";

/// @title Ledger issuance
/// @notice Issuance, the only way points come into being, and the issuers allowed to do it: their
/// admission, quotas and suspension, and the claim ids they used. Claim ids live in bitmaps (as
/// Permit2's unordered nonces do), so claims numbered in sequence share one storage word.
abstract contract LedgerIssuance is LedgerDomains, LedgerAccounts {
    using UsedBitmap for mapping(uint256 => uint256);

    // ─────────────────────────────────────────────────────────── Storage

    /// @dev One slot: an issuer's standing, quota and use in `period`.
    struct IssuerQuota {
        bool admitted;
        bool suspended;
        uint32 period;
        uint96 quota;
        uint96 used;
    }

    mapping(uint32 domainId => mapping(address issuer => IssuerQuota)) private _issuers;
    mapping(uint32 domainId => mapping(uint256 wordPos => uint256 bits)) private _claimBitmaps;

    // ─────────────────────────────────────────────────────────── External

    /// @inheritdoc IPointsLedger
    function issue(uint32 domainId, address resident, uint256 amount, uint256 claimId) external {
        DomainLedger storage d = _activeDomain(domainId);
        uint32 period = _currentPeriod();
        _requireAmount(amount);
        _useQuota(domainId, amount, period);
        if (!_claimBitmaps[domainId].use(claimId)) revert PointsLedgerClaimUsed(domainId, claimId);
        _creditIssued(domainId, resident, amount, period, _residentCap(d));
        _increaseSupply(d, amount);
        emit PointsIssued(domainId, resident, claimId, msg.sender, amount, period);
    }

    /// @inheritdoc IPointsLedger
    function issueBatch(uint32 domainId, Issuance[] calldata items) external {
        DomainLedger storage d = _activeDomain(domainId);
        uint256 count = items.length;
        if (count == 0 || count > MAX_BATCH) revert PointsLedgerInvalidBatchSize(count);
        uint32 period = _currentPeriod();
        uint256 residentCap = _residentCap(d);
        mapping(uint256 => uint256) storage claims = _claimBitmaps[domainId];

        // Claim bits are gathered per word (the layout of UsedBitmap) and written once when the word changes.
        uint256 wordPos = type(uint256).max; // no claim id maps here: positions are below 2^248
        uint256 word;
        uint256 total;
        for (uint256 i; i < count; ++i) {
            Issuance calldata item = items[i];
            uint256 amount = item.amount;
            _requireAmount(amount);
            uint256 claimId = item.claimId;
            if (claimId >> 8 != wordPos) {
                if (wordPos != type(uint256).max) claims[wordPos] = word;
                wordPos = claimId >> 8;
                word = claims[wordPos];
            }
            uint256 bit = 1 << (claimId & 0xff);
            if (word & bit != 0) revert PointsLedgerClaimUsed(domainId, claimId);
            word |= bit;
            _creditIssued(domainId, item.resident, amount, period, residentCap);
            emit PointsIssued(domainId, item.resident, claimId, msg.sender, amount, period);
            // Cannot overflow: at most MAX_BATCH amounts of at most MAX_AMOUNT each.
            unchecked {
                total += amount;
            }
        }
        claims[wordPos] = word;
        _useQuota(domainId, total, period);
        _increaseSupply(d, total);
    }

    /// @inheritdoc IPointsLedger
    function setIssuerQuota(uint32 domainId, address issuer, uint96 quota) external onlyRole(COUNCIL_ROLE) {
        _existingDomain(domainId);
        _setIssuerQuota(domainId, issuer, quota);
    }

    /// @inheritdoc IPointsLedger
    function removeIssuer(uint32 domainId, address issuer) external onlyRole(COUNCIL_ROLE) {
        if (!_issuers[domainId][issuer].admitted) revert PointsLedgerNotIssuer(domainId, issuer);
        delete _issuers[domainId][issuer];
        emit IssuerRemoved(domainId, issuer);
    }

    /// @inheritdoc IPointsLedger
    function suspendIssuer(uint32 domainId, address issuer) external {
        if (
            !hasRole(COUNCIL_ROLE, msg.sender) && !hasRole(PAUSER_ROLE, msg.sender)
                && _agencyOf(domainId) != msg.sender
        ) revert PointsLedgerUnauthorized(msg.sender);
        IssuerQuota storage state = _issuers[domainId][issuer];
        if (!state.admitted) revert PointsLedgerNotIssuer(domainId, issuer);
        if (state.suspended) revert PointsLedgerIssuerSuspended(domainId, issuer);
        state.suspended = true;
        emit IssuerSuspended(domainId, issuer, msg.sender);
    }

    /// @inheritdoc IPointsLedger
    function reinstateIssuer(uint32 domainId, address issuer) external onlyRole(COUNCIL_ROLE) {
        IssuerQuota storage state = _issuers[domainId][issuer];
        if (!state.admitted) revert PointsLedgerNotIssuer(domainId, issuer);
        if (!state.suspended) revert PointsLedgerIssuerNotSuspended(domainId, issuer);
        state.suspended = false;
        emit IssuerReinstated(domainId, issuer);
    }

    // ─────────────────────────────────────────────────────────── Views

    /// @inheritdoc IPointsLedger
    function issuerState(uint32 domainId, address issuer) external view returns (IssuerView memory) {
        IssuerQuota storage state = _issuers[domainId][issuer];
        return IssuerView({
            admitted: state.admitted,
            suspended: state.suspended,
            quota: state.quota,
            usedThisPeriod: state.period == _currentPeriod() ? state.used : 0
        });
    }

    /// @inheritdoc IPointsLedger
    function isClaimUsed(uint32 domainId, uint256 claimId) external view returns (bool) {
        return _claimBitmaps[domainId].isUsed(claimId);
    }

    // ─────────────────────────────────────────────────────────── Internal

    function _setIssuerQuota(uint32 domainId, address issuer, uint96 quota) internal {
        if (issuer == address(0)) revert PointsLedgerInvalidAddress(issuer);
        if (quota == 0) revert PointsLedgerInvalidQuota(quota);
        IssuerQuota storage state = _issuers[domainId][issuer];
        state.admitted = true;
        state.quota = quota;
        emit IssuerQuotaSet(domainId, issuer, quota);
    }

    // ─────────────────────────────────────────────────────────── Private

    /// @dev Checks the caller may issue `amount` more this period and records it.
    function _useQuota(uint32 domainId, uint256 amount, uint32 period) private {
        IssuerQuota storage state = _issuers[domainId][msg.sender];
        if (!state.admitted) revert PointsLedgerNotIssuer(domainId, msg.sender);
        if (state.suspended) revert PointsLedgerIssuerSuspended(domainId, msg.sender);
        uint256 used = state.period == period ? state.used : 0;
        uint256 quota = state.quota;
        // A quota lowered below this period's use leaves nothing, not a negative remainder.
        uint256 remaining = quota > used ? quota - used : 0;
        if (amount > remaining) revert PointsLedgerQuotaExceeded(domainId, msg.sender, amount, remaining);
        state.period = period;
        // Cannot overflow: used + amount <= quota, a uint96.
        state.used = uint96(used + amount);
    }
}
