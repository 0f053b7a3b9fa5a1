// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IPointsLedger} from "../interfaces/IPointsLedger.sol";
import {UsedBitmap} from "../libraries/UsedBitmap.sol";
import {LedgerBase} from "./LedgerBase.sol";

/// @dev Issuance: the only way points come into being. Claim ids live in bitmaps (as Permit2's
/// unordered nonces do), so claims numbered in sequence share one storage word.
abstract contract LedgerIssuance is LedgerBase {
    using UsedBitmap for mapping(uint256 => uint256);

    // ─────────────────────────────────────────────────────────── External

    /// @inheritdoc IPointsLedger
    function issue(uint32 domainId, address resident, uint256 amount, uint256 claimId) external {
        DomainLedger storage d = _activeDomain(domainId);
        uint32 period = _currentPeriod();
        _requireAmount(amount);
        _useQuota(domainId, amount, period);
        if (!_claimBitmaps[domainId].use(claimId)) revert PointsLedgerClaimUsed(domainId, claimId);
        _creditIssued(domainId, resident, amount, period, d.residentCap);
        d.supply += uint128(amount);
        emit PointsIssued(domainId, resident, claimId, msg.sender, amount, period);
    }

    /// @inheritdoc IPointsLedger
    function issueBatch(uint32 domainId, Issuance[] calldata items) external {
        DomainLedger storage d = _activeDomain(domainId);
        uint256 count = items.length;
        if (count == 0 || count > MAX_BATCH) revert PointsLedgerInvalidBatchSize(count);
        uint32 period = _currentPeriod();
        uint256 residentCap = d.residentCap;
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
        d.supply += uint128(total);
    }

    // ─────────────────────────────────────────────────────────── Views

    /// @inheritdoc IPointsLedger
    function isClaimUsed(uint32 domainId, uint256 claimId) external view returns (bool) {
        return _claimBitmaps[domainId].isUsed(claimId);
    }

    /// @inheritdoc IPointsLedger
    function residentIssuedThisPeriod(uint32 domainId, address resident) external view returns (uint256) {
        Account storage account = _accounts[domainId][resident];
        return account.capPeriod == _currentPeriod() ? account.capUsed : 0;
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

    /// @dev Credits issued points, checking and recording the resident's cap use in one slot write.
    function _creditIssued(uint32 domainId, address resident, uint256 amount, uint32 period, uint256 cap) private {
        if (resident == address(0)) revert PointsLedgerInvalidAddress(resident);
        Account storage account = _accounts[domainId][resident];
        uint256 used = account.capPeriod == period ? account.capUsed : 0;
        if (cap != 0) {
            uint256 remaining = cap > used ? cap - used : 0;
            if (amount > remaining) revert PointsLedgerResidentCapExceeded(domainId, resident, amount, remaining);
        }
        uint256 balance = account.balance + amount;
        if (balance > type(uint96).max) revert PointsLedgerAmountTooLarge(balance);
        // Without a cap the use is only recorded, so it saturates rather than reverting; a cap set
        // later in the period then finds the resident at or above it.
        uint256 newUsed = used + amount;
        if (newUsed > type(uint64).max) newUsed = type(uint64).max;
        account.balance = uint96(balance);
        account.capPeriod = period;
        account.capUsed = uint64(newUsed);
    }
}
