// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IPointsLedger} from "../interfaces/IPointsLedger.sol";
import {AgreementId, AgreementIdLibrary} from "../libraries/AgreementId.sol";
import {AgreementVersion, AgreementVersionLibrary} from "../libraries/AgreementVersion.sol";
import {LedgerDomains} from "./LedgerDomains.sol";

/// @title Ledger agreements
/// @notice Exchange agreements between two domains and what is exchanged under them: a version
/// takes effect only when both domains' agencies approved it, either side can suspend the version in
/// force, and every exchange records here, per agreement and period, its points in (against the cap)
/// and the value the source domain's agency owes the destination's, which settlement nets.
abstract contract LedgerAgreements is LedgerDomains {
    // ─────────────────────────────────────────────────────────── Storage

    /// @dev One slot per agreement and period: the cap use and the value owed to the destination.
    struct Usage {
        uint128 amountIn;
        uint128 owed;
    }

    /// @dev A side may propose this many versions of an agreement before one comes into force.
    uint256 private constant MAX_PROPOSALS_PER_SIDE = 8;

    /// @dev Every agreement ever proposed, for the views; at most one per ordered pair of domains.
    AgreementId[] private _agreementIds;
    /// @dev Every agreement that ever came into force: the ones settlement nets, at most MAX_AGREEMENTS.
    /// An agreement takes a place here only once both sides approved a version, so no agency alone
    /// can fill it (but for pairs whose both domains it runs, which the council gave it).
    AgreementId[] private _settledAgreementIds;
    /// @dev One slot each: the version in force (read on every exchange) and each side's suspension,
    /// and the version waiting for its second approval with each side's approval.
    mapping(AgreementId agreementId => AgreementVersion) private _activeAgreements;
    mapping(AgreementId agreementId => AgreementVersion) private _pendingAgreements;
    mapping(AgreementId agreementId => mapping(uint32 period => Usage)) private _usage;

    // ─────────────────────────────────────────────────────────── External

    /// @inheritdoc IPointsLedger
    function proposeAgreement(
        uint32 fromDomain,
        uint32 toDomain,
        uint40 rateNum,
        uint40 rateDen,
        uint64 periodCap,
        uint32 validFromPeriod,
        uint32 validUntilPeriod
    ) external returns (AgreementId agreementId, uint16 version) {
        uint256 valueFrom = _pointValue(_activeDomain(fromDomain));
        uint256 valueTo = _pointValue(_activeDomain(toDomain));
        if (fromDomain == toDomain) revert PointsLedgerSameDomain(fromDomain);
        (bool isFrom, bool isTo) = _sides(fromDomain, toDomain);
        if (rateNum == 0 || rateDen == 0) revert PointsLedgerInvalidRate(rateNum, rateDen);
        if (validUntilPeriod < validFromPeriod) revert PointsLedgerInvalidWindow(validFromPeriod, validUntilPeriod);
        agreementId = AgreementIdLibrary.toAgreementId(fromDomain, toDomain);
        // The value rule: what an exchange credits is never worth more than what it burns, so no loop
        // of agreements creates value. Point values never change, so the check at proposal holds for
        // as long as the version lives. Cannot overflow: each factor is below 2^40.
        if (uint256(rateNum) * valueTo > uint256(rateDen) * valueFrom) {
            revert PointsLedgerAgreementCreatesValue(agreementId, rateNum, rateDen, valueFrom, valueTo);
        }

        AgreementVersion pending = _pendingAgreements[agreementId];
        (uint256 proposals, uint256 bySide) = pending.countProposal(isFrom);
        if (bySide > MAX_PROPOSALS_PER_SIDE) {
            revert PointsLedgerTooManyProposals(agreementId, isFrom ? fromDomain : toDomain);
        }
        version = _nextVersion(agreementId, pending);
        AgreementVersion proposed = AgreementVersionLibrary.pack(
            rateNum, rateDen, periodCap, validFromPeriod, validUntilPeriod, version
        ).withFromSide(isFrom).withToSide(isTo).withProposals(proposals);
        emit AgreementProposed(
            agreementId,
            fromDomain,
            toDomain,
            version,
            rateNum,
            rateDen,
            periodCap,
            validFromPeriod,
            validUntilPeriod,
            msg.sender
        );
        if (isFrom) emit AgreementApproved(agreementId, version, fromDomain, msg.sender);
        if (isTo) emit AgreementApproved(agreementId, version, toDomain, msg.sender);
        if (isFrom && isTo) {
            _activate(agreementId, proposed);
        } else {
            _pendingAgreements[agreementId] = proposed;
        }
    }

    /// @inheritdoc IPointsLedger
    function approveAgreement(AgreementId agreementId, uint16 version) external {
        (uint32 fromDomain, uint32 toDomain) = _activePair(agreementId);
        AgreementVersion pending = _pendingAgreements[agreementId];
        if (version == 0 || pending.version() != version) revert PointsLedgerNotPending(agreementId, version);
        (bool isFrom, bool isTo) = _sides(fromDomain, toDomain);
        if (isFrom) {
            if (pending.approvedByFrom()) revert PointsLedgerAlreadyApproved(agreementId, fromDomain);
            pending = pending.withFromSide(true);
            emit AgreementApproved(agreementId, version, fromDomain, msg.sender);
        }
        if (isTo) {
            if (pending.approvedByTo()) revert PointsLedgerAlreadyApproved(agreementId, toDomain);
            pending = pending.withToSide(true);
            emit AgreementApproved(agreementId, version, toDomain, msg.sender);
        }
        if (pending.approvedByFrom() && pending.approvedByTo()) {
            _activate(agreementId, pending);
        } else {
            _pendingAgreements[agreementId] = pending;
        }
    }

    /// @inheritdoc IPointsLedger
    function setAgreementSuspended(AgreementId agreementId, bool suspended) external {
        (uint32 fromDomain, uint32 toDomain) = _activePair(agreementId);
        AgreementVersion active = _activeAgreements[agreementId];
        if (active.version() == 0) revert PointsLedgerNoAgreement(fromDomain, toDomain);
        (bool isFrom, bool isTo) = _sides(fromDomain, toDomain);
        if (isFrom) {
            if (active.suspendedByFrom() == suspended) revert PointsLedgerSuspensionUnchanged(agreementId, fromDomain);
            active = active.withFromSide(suspended);
            emit AgreementSuspensionChanged(agreementId, fromDomain, suspended, msg.sender);
        }
        if (isTo) {
            if (active.suspendedByTo() == suspended) revert PointsLedgerSuspensionUnchanged(agreementId, toDomain);
            active = active.withToSide(suspended);
            emit AgreementSuspensionChanged(agreementId, toDomain, suspended, msg.sender);
        }
        _activeAgreements[agreementId] = active;
    }

    // ─────────────────────────────────────────────────────────── Views

    /// @inheritdoc IPointsLedger
    function agreementIdOf(uint32 fromDomain, uint32 toDomain) external pure returns (AgreementId) {
        return AgreementIdLibrary.toAgreementId(fromDomain, toDomain);
    }

    /// @inheritdoc IPointsLedger
    function agreementCount() external view returns (uint256) {
        return _agreementIds.length;
    }

    /// @inheritdoc IPointsLedger
    function agreementAt(uint256 index) external view returns (AgreementId) {
        return _agreementIds[index];
    }

    /// @inheritdoc IPointsLedger
    function agreement(AgreementId agreementId) external view returns (AgreementView memory) {
        AgreementVersion active = _activeAgreements[agreementId];
        AgreementVersion pending = _pendingAgreements[agreementId];
        (uint32 fromDomain, uint32 toDomain) = agreementId.domains();
        return AgreementView({
            agreementId: agreementId,
            fromDomain: fromDomain,
            toDomain: toDomain,
            current: active.terms(),
            suspendedByFrom: active.suspendedByFrom(),
            suspendedByTo: active.suspendedByTo(),
            pending: pending.terms(),
            pendingApprovedByFrom: pending.approvedByFrom(),
            pendingApprovedByTo: pending.approvedByTo()
        });
    }

    /// @inheritdoc IPointsLedger
    function quoteExchange(uint32 fromDomain, uint32 toDomain, uint256 amountIn)
        external
        view
        returns (uint256 amountOut, AgreementId agreementId, uint16 version)
    {
        _requireAmount(amountIn);
        agreementId = AgreementIdLibrary.toAgreementId(fromDomain, toDomain);
        AgreementVersion active = _inForce(agreementId, fromDomain, toDomain, _currentPeriod());
        return (_convert(amountIn, active), agreementId, active.version());
    }

    /// @inheritdoc IPointsLedger
    function agreementUsage(AgreementId agreementId, uint32 period)
        external
        view
        returns (uint128 amountIn, uint128 owed)
    {
        Usage storage usage = _usage[agreementId][period];
        return (usage.amountIn, usage.owed);
    }

    // ─────────────────────────────────────────────────────────── Internal

    /// @dev An exchange's whole bookkeeping under its agreement: finds the version in force, converts
    /// at its rate, checks the result against the resident's minimum and the agreement's cap, and
    /// records the points in and the value owed to the destination's agency (`amountOut` at
    /// `pointValueOut`) in the agreement's slot for `period`.
    function _recordExchange(
        uint32 fromDomain,
        uint32 toDomain,
        uint32 period,
        uint256 amountIn,
        uint256 minAmountOut,
        uint256 pointValueOut
    ) internal returns (AgreementId agreementId, uint16 version, uint256 amountOut) {
        agreementId = AgreementIdLibrary.toAgreementId(fromDomain, toDomain);
        AgreementVersion active = _inForce(agreementId, fromDomain, toDomain, period);
        amountOut = _convert(amountIn, active);
        if (amountOut == 0) revert PointsLedgerExchangeTooSmall(amountIn);
        if (amountOut > MAX_AMOUNT) revert PointsLedgerAmountTooLarge(amountOut);
        if (amountOut < minAmountOut) revert PointsLedgerSlippage(amountOut, minAmountOut);

        // Cap use and the value owed to the destination's agency share one slot per agreement and period.
        Usage storage usage = _usage[agreementId][period];
        uint256 usedIn = usage.amountIn + amountIn;
        uint256 cap = active.periodCap();
        if (cap != 0 && usedIn > cap) {
            // A version with a lower cap may find this period's use already above it.
            uint256 used = usage.amountIn;
            revert PointsLedgerAgreementCapExceeded(agreementId, amountIn, cap > used ? cap - used : 0);
        }
        // Cannot overflow in practice: amountOut <= 2^64 and pointValue < 2^40; the uint128 sum is checked.
        _usage[agreementId][period] =
            Usage({amountIn: uint128(usedIn), owed: usage.owed + uint128(amountOut * pointValueOut)});
        version = active.version();
    }

    /// @dev The `index`-th agreement ever in force and what its source domain's agency owes its
    /// destination's for the exchanges of `period`.
    function _obligation(uint256 index, uint32 period) internal view returns (AgreementId agreementId, uint256 owed) {
        agreementId = _settledAgreementIds[index];
        owed = _usage[agreementId][period].owed;
    }

    /// @dev How many agreements settlement nets: those ever in force.
    function _settledAgreementCount() internal view returns (uint256) {
        return _settledAgreementIds.length;
    }

    // ─────────────────────────────────────────────────────────── Private

    /// @dev The version of the agreement `agreementId` (from `fromDomain` to `toDomain`) in force in
    /// `period`; reverts if there is none.
    function _inForce(AgreementId agreementId, uint32 fromDomain, uint32 toDomain, uint32 period)
        private
        view
        returns (AgreementVersion active)
    {
        active = _activeAgreements[agreementId];
        if (active.version() == 0) revert PointsLedgerNoAgreement(fromDomain, toDomain);
        if (
            active.suspendedByFrom() || active.suspendedByTo() || period < active.validFromPeriod()
                || period > active.validUntilPeriod()
        ) revert PointsLedgerAgreementNotInForce(agreementId, period);
    }

    /// @dev Rounds down, so an exchange never gives more than the rate and never creates points.
    function _convert(uint256 amountIn, AgreementVersion active) private pure returns (uint256) {
        // Cannot overflow: callers check amountIn <= MAX_AMOUNT (2^64) and rateNum < 2^40.
        unchecked {
            return amountIn * active.rateNum() / active.rateDen();
        }
    }

    /// @dev The number of the agreement's next version. A replaced pending version keeps its number
    /// used, so an approval in flight can never land on other terms. Numbers wrap from 65535 to 1:
    /// with at most 2 * MAX_PROPOSALS_PER_SIDE versions between two in force, a number comes back only
    /// after thousands of versions came into force, each with a transaction of both sides, which an
    /// approval still in flight cannot outlast (its sender's later transactions wait for it).
    function _nextVersion(AgreementId agreementId, AgreementVersion pending) private returns (uint16) {
        // The newest number: the pending version's, else the one in force (a pending version is
        // always newer). Zero: the pair was never proposed.
        uint16 latest = pending.version();
        if (latest == 0) latest = _activeAgreements[agreementId].version();
        if (latest == 0) _agreementIds.push(agreementId);
        return latest == type(uint16).max ? 1 : latest + 1;
    }

    /// @dev The agreement's two domains; reverts unless both exist and neither they nor the ledger are paused.
    function _activePair(AgreementId agreementId) private view returns (uint32 fromDomain, uint32 toDomain) {
        (fromDomain, toDomain) = agreementId.domains();
        _activeDomain(fromDomain);
        _activeDomain(toDomain);
    }

    /// @dev Which sides of the pair the caller acts for; reverts if neither.
    function _sides(uint32 fromDomain, uint32 toDomain) private view returns (bool isFrom, bool isTo) {
        isFrom = _agencyOf(fromDomain) == msg.sender;
        isTo = _agencyOf(toDomain) == msg.sender;
        if (!isFrom && !isTo) revert PointsLedgerNotDomainAgency(fromDomain, msg.sender);
    }

    /// @dev Puts a pending version both sides approved in force; earlier suspensions lapse. The first
    /// version in force takes the agreement's place among those settlement nets.
    function _activate(AgreementId agreementId, AgreementVersion pending) private {
        if (_activeAgreements[agreementId].version() == 0) {
            uint256 count = _settledAgreementIds.length;
            if (count >= MAX_AGREEMENTS) revert PointsLedgerTooManyAgreements(count);
            _settledAgreementIds.push(agreementId);
        }
        _activeAgreements[agreementId] = pending.inForce();
        _pendingAgreements[agreementId] = AgreementVersion.wrap(0);
        emit AgreementActivated(agreementId, pending.version());
    }
}
