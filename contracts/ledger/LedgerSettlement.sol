// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IPointsLedger} from "../interfaces/IPointsLedger.sol";
import {LedgerBase} from "./LedgerBase.sol";

/// @dev Settlement between agencies. Every exchange adds what the source domain's agency owes the
/// destination's to its agreement's usage slot for the period; closing a period nets those
/// obligations into one position per agency, which sum to zero by construction.
abstract contract LedgerSettlement is LedgerBase {
    // ─────────────────────────────────────────────────────────── External

    /// @inheritdoc IPointsLedger
    function closePeriod(uint32 period) external {
        _requireNotPaused();
        uint32 current = _currentPeriod();
        if (period >= current) revert PointsLedgerPeriodNotEnded(period, current);
        PeriodSettlement storage settlement = _settlements[period];
        if (settlement.closed) revert PointsLedgerPeriodClosed(period);

        uint32 domains = _domainCount;
        int256[] memory nets = new int256[](uint256(domains) + 1);
        uint256 agreements = _agreementIds.length;
        for (uint256 i; i < agreements; ++i) {
            uint64 agreementId = _agreementIds[i];
            // A uint128 always fits an int256.
            int256 owed = int256(uint256(_usage[agreementId][period].owed));
            if (owed == 0) continue;
            nets[uint32(agreementId >> 32)] -= owed;
            nets[uint32(agreementId)] += owed;
        }

        uint32 open;
        for (uint32 domainId = 1; domainId <= domains; ++domainId) {
            int256 net = nets[domainId];
            if (net == 0) continue;
            _positions[period][domainId].net = SafeCast.toInt128(net);
            ++open;
            emit SettlementPublished(period, domainId, _domainAgencies[domainId], net);
        }
        settlement.closed = true;
        settlement.openPositions = open;
        emit PeriodClosed(period, open);
        if (open == 0) emit SettlementCompleted(period);
    }

    /// @inheritdoc IPointsLedger
    function confirmSettlement(uint32 period, uint32 domainId, bytes32 paymentRef) external {
        _requireNotPaused();
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
