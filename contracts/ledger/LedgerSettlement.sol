// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IPointsLedger} from "../interfaces/IPointsLedger.sol";
import {AgreementId} from "../libraries/AgreementId.sol";
import {LedgerAgreements} from "./LedgerAgreements.sol";

/// @title Ledger settlement
/// @notice Settlement between agencies. Every exchange records what the source domain's agency owes
/// the destination's under its agreement for the period ({LedgerAgreements}); closing a period nets
/// those obligations into one position per agency, which sum to zero by construction, and each
/// agency then confirms its payment.
abstract contract LedgerSettlement is LedgerAgreements {
    // ─────────────────────────────────────────────────────────── Storage

    /// @dev Settlement state of a period.
    struct PeriodSettlement {
        bool closed;
        uint32 openPositions;
    }

    mapping(uint32 period => PeriodSettlement) private _settlements;
    mapping(uint32 period => mapping(uint32 domainId => SettlementPosition)) private _positions;

    // ─────────────────────────────────────────────────────────── External

    /// @inheritdoc IPointsLedger
    function closePeriod(uint32 period) external {
        _requireNotPaused();
        uint32 current = _currentPeriod();
        if (period >= current) revert PointsLedgerPeriodNotEnded(period, current);
        PeriodSettlement storage settlement = _settlements[period];
        if (settlement.closed) revert PointsLedgerPeriodClosed(period);

        uint32 domains = domainCount();
        int256[] memory nets = new int256[](uint256(domains) + 1);
        uint256 agreements = _settledAgreementCount();
        for (uint256 i; i < agreements; ++i) {
            (AgreementId agreementId, uint256 owedValue) = _obligation(i, period);
            // A uint128 always fits an int256.
            int256 owed = int256(owedValue);
            if (owed == 0) continue;
            nets[agreementId.source()] -= owed;
            nets[agreementId.destination()] += owed;
        }

        uint32 open;
        for (uint32 domainId = 1; domainId <= domains; ++domainId) {
            int256 net = nets[domainId];
            if (net == 0) continue;
            _positions[period][domainId].net = SafeCast.toInt128(net);
            ++open;
            emit SettlementPublished(period, domainId, _agencyOf(domainId), net);
        }
        settlement.closed = true;
        settlement.openPositions = open;
        emit PeriodClosed(period, open);
        if (open == 0) emit SettlementCompleted(period);
    }

    /// @inheritdoc IPointsLedger
    function confirmSettlement(uint32 period, uint32 domainId, bytes32 paymentRef) external {
        _activeDomain(domainId);
        _requireAgency(domainId);
        PeriodSettlement storage settlement = _settlements[period];
        if (!settlement.closed) revert PointsLedgerPeriodNotClosed(period);
        SettlementPosition storage position = _positions[period][domainId];
        if (position.net == 0) revert PointsLedgerNoPosition(period, domainId);
        if (position.confirmed) revert PointsLedgerAlreadyConfirmed(period, domainId);
        if (paymentRef == bytes32(0)) revert PointsLedgerInvalidPaymentRef(paymentRef);
        position.confirmed = true;
        position.paymentRef = paymentRef;
        emit SettlementConfirmed(period, domainId, msg.sender, paymentRef);
        if (--settlement.openPositions == 0) emit SettlementCompleted(period);
    }

    // ─────────────────────────────────────────────────────────── Views

    /// @inheritdoc IPointsLedger
    function isPeriodClosed(uint32 period) external view returns (bool) {
        return _settlements[period].closed;
    }

    /// @inheritdoc IPointsLedger
    function settlementPosition(uint32 period, uint32 domainId) external view returns (SettlementPosition memory) {
        return _positions[period][domainId];
    }
}
