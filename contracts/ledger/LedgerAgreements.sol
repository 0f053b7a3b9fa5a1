// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IPointsLedger} from "../interfaces/IPointsLedger.sol";
import {LedgerBase} from "./LedgerBase.sol";

/// @dev Exchange agreements between two domains: a version takes effect only when both domains'
/// agencies approved it; either side can suspend the version in force.
abstract contract LedgerAgreements is LedgerBase {
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
    ) external returns (uint64 agreementId, uint16 version) {
        _requireNotPaused();
        if (fromDomain == toDomain) revert PointsLedgerSameDomain(fromDomain);
        _existingDomain(fromDomain);
        _existingDomain(toDomain);
        (bool isFrom, bool isTo) = _sides(fromDomain, toDomain);
        if (rateNum == 0 || rateDen == 0) revert PointsLedgerInvalidRate(rateNum, rateDen);
        if (validUntilPeriod < validFromPeriod) revert PointsLedgerInvalidWindow(validFromPeriod, validUntilPeriod);

        agreementId = _agreementId(fromDomain, toDomain);
        uint16 activeVersion = _activeAgreements[agreementId].terms.version;
        uint16 pendingVersion = _pendingAgreements[agreementId].terms.version;
        if (activeVersion == 0 && pendingVersion == 0) {
            if (_agreementIds.length >= MAX_AGREEMENTS) revert PointsLedgerTooManyAgreements(_agreementIds.length);
            _agreementIds.push(agreementId);
        }
        // A replaced pending version keeps its number used, so a version number is never reused.
        version = (activeVersion > pendingVersion ? activeVersion : pendingVersion) + 1;
        AgreementTerms memory terms = AgreementTerms({
            rateNum: rateNum,
            rateDen: rateDen,
            periodCap: periodCap,
            validFromPeriod: validFromPeriod,
            validUntilPeriod: validUntilPeriod,
            version: version
        });
        _pendingAgreements[agreementId] = PendingAgreement({terms: terms, approvedByFrom: isFrom, approvedByTo: isTo});
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
        if (isFrom && isTo) _activate(agreementId);
    }

    /// @inheritdoc IPointsLedger
    function approveAgreement(uint64 agreementId, uint16 version) external {
        _requireNotPaused();
        PendingAgreement storage pending = _pendingAgreements[agreementId];
        if (version == 0 || pending.terms.version != version) revert PointsLedgerNotPending(agreementId, version);
        (uint32 fromDomain, uint32 toDomain) = _domainsOf(agreementId);
        (bool isFrom, bool isTo) = _sides(fromDomain, toDomain);
        if (isFrom) {
            if (pending.approvedByFrom) revert PointsLedgerAlreadyApproved(agreementId, fromDomain);
            pending.approvedByFrom = true;
            emit AgreementApproved(agreementId, version, fromDomain, msg.sender);
        }
        if (isTo) {
            if (pending.approvedByTo) revert PointsLedgerAlreadyApproved(agreementId, toDomain);
            pending.approvedByTo = true;
            emit AgreementApproved(agreementId, version, toDomain, msg.sender);
        }
        if (pending.approvedByFrom && pending.approvedByTo) _activate(agreementId);
    }

    /// @inheritdoc IPointsLedger
    function setAgreementSuspended(uint64 agreementId, bool suspended) external {
        _requireNotPaused();
        ActiveAgreement storage active = _activeAgreements[agreementId];
        (uint32 fromDomain, uint32 toDomain) = _domainsOf(agreementId);
        if (active.terms.version == 0) revert PointsLedgerNoAgreement(fromDomain, toDomain);
        (bool isFrom, bool isTo) = _sides(fromDomain, toDomain);
        if (isFrom) {
            if (active.suspendedByFrom == suspended) revert PointsLedgerSuspensionUnchanged(agreementId, fromDomain);
            active.suspendedByFrom = suspended;
            emit AgreementSuspensionChanged(agreementId, fromDomain, suspended, msg.sender);
        }
        if (isTo) {
            if (active.suspendedByTo == suspended) revert PointsLedgerSuspensionUnchanged(agreementId, toDomain);
            active.suspendedByTo = suspended;
            emit AgreementSuspensionChanged(agreementId, toDomain, suspended, msg.sender);
        }
    }

    // ─────────────────────────────────────────────────────────── Views

    /// @inheritdoc IPointsLedger
    function agreementIdOf(uint32 fromDomain, uint32 toDomain) external pure returns (uint64) {
        return _agreementId(fromDomain, toDomain);
    }

    /// @inheritdoc IPointsLedger
    function agreementCount() external view returns (uint256) {
        return _agreementIds.length;
    }

    /// @inheritdoc IPointsLedger
    function agreementAt(uint256 index) external view returns (uint64) {
        return _agreementIds[index];
    }

    /// @inheritdoc IPointsLedger
    function agreement(uint64 agreementId) external view returns (AgreementView memory) {
        ActiveAgreement storage active = _activeAgreements[agreementId];
        PendingAgreement storage pending = _pendingAgreements[agreementId];
        (uint32 fromDomain, uint32 toDomain) = _domainsOf(agreementId);
        return AgreementView({
            agreementId: agreementId,
            fromDomain: fromDomain,
            toDomain: toDomain,
            current: active.terms,
            suspendedByFrom: active.suspendedByFrom,
            suspendedByTo: active.suspendedByTo,
            pending: pending.terms,
            pendingApprovedByFrom: pending.approvedByFrom,
            pendingApprovedByTo: pending.approvedByTo
        });
    }

    /// @inheritdoc IPointsLedger
    function quoteExchange(uint32 fromDomain, uint32 toDomain, uint256 amountIn)
        external
        view
        returns (uint256 amountOut, uint64 agreementId, uint16 version)
    {
        _requireAmount(amountIn);
        AgreementTerms memory terms;
        (agreementId, terms) = _termsInForce(fromDomain, toDomain, _currentPeriod());
        return (_convert(amountIn, terms), agreementId, terms.version);
    }

    /// @inheritdoc IPointsLedger
    function agreementUsage(uint64 agreementId, uint32 period) external view returns (uint128 amountIn, uint128 owed) {
        Usage storage usage = _usage[agreementId][period];
        return (usage.amountIn, usage.owed);
    }

    // ─────────────────────────────────────────────────────────── Internal

    /// @dev The terms in force for an exchange now; reverts if there are none.
    function _termsInForce(uint32 fromDomain, uint32 toDomain, uint32 period)
        internal
        view
        returns (uint64 agreementId, AgreementTerms memory terms)
    {
        agreementId = _agreementId(fromDomain, toDomain);
        ActiveAgreement memory active = _activeAgreements[agreementId];
        terms = active.terms;
        if (terms.version == 0) revert PointsLedgerNoAgreement(fromDomain, toDomain);
        if (
            active.suspendedByFrom || active.suspendedByTo || period < terms.validFromPeriod
                || period > terms.validUntilPeriod
        ) revert PointsLedgerAgreementNotInForce(agreementId, period);
    }

    /// @dev Rounds down, so an exchange never gives more than the rate and never creates points.
    function _convert(uint256 amountIn, AgreementTerms memory terms) internal pure returns (uint256) {
        // Cannot overflow: callers check amountIn <= MAX_AMOUNT (2^64) and rateNum < 2^40.
        unchecked {
            return amountIn * terms.rateNum / terms.rateDen;
        }
    }

    function _agreementId(uint32 fromDomain, uint32 toDomain) internal pure returns (uint64) {
        return (uint64(fromDomain) << 32) | toDomain;
    }

    function _domainsOf(uint64 agreementId) internal pure returns (uint32 fromDomain, uint32 toDomain) {
        return (uint32(agreementId >> 32), uint32(agreementId));
    }

    // ─────────────────────────────────────────────────────────── Private

    /// @dev Which sides of the pair the caller acts for; reverts if neither.
    function _sides(uint32 fromDomain, uint32 toDomain) private view returns (bool isFrom, bool isTo) {
        isFrom = _domainAgencies[fromDomain] == msg.sender;
        isTo = _domainAgencies[toDomain] == msg.sender;
        if (!isFrom && !isTo) revert PointsLedgerNotDomainAgency(fromDomain, msg.sender);
    }

    /// @dev Puts the pending version in force. Both sides just approved it, so earlier suspensions lapse.
    function _activate(uint64 agreementId) private {
        AgreementTerms memory terms = _pendingAgreements[agreementId].terms;
        _activeAgreements[agreementId] = ActiveAgreement({terms: terms, suspendedByFrom: false, suspendedByTo: false});
        delete _pendingAgreements[agreementId];
        emit AgreementActivated(agreementId, terms.version);
    }
}
