// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IPointsLedger} from "../interfaces/IPointsLedger.sol";
import {LedgerBase} from "./LedgerBase.sol";

/// @title Ledger domains and pauses
/// @notice Each domain's configuration, supply and pause, and the global pause. The only contract
/// that reads or writes a domain's slot: the others hold the handle {_activeDomain} or
/// {_existingDomain} returns and pass it back to the functions here.
abstract contract LedgerDomains is LedgerBase {
    // ─────────────────────────────────────────────────────────── Constants

    uint256 private constant MAX_NAME_BYTES = 32;

    uint8 private constant EXISTS = 1;
    uint8 private constant PAUSED = 2;
    uint8 private constant LEDGER_PAUSED = 4;
    uint8 private constant TRANSFERABLE = 8;

    // ─────────────────────────────────────────────────────────── Storage

    /// @dev One slot: everything issuance and exchange read or change about a domain. The global
    /// pause is mirrored into `flags`, so the hot paths check both pauses with the one read they make.
    struct DomainLedger {
        uint128 supply;
        uint64 residentCap;
        uint40 pointValue;
        uint8 flags;
    }

    bool private _paused;
    uint32 private _domainCount;
    mapping(uint32 domainId => DomainLedger) private _domains;
    mapping(uint32 domainId => string) private _domainNames;
    mapping(uint32 domainId => address) private _domainAgencies;

    // ─────────────────────────────────────────────────────────── External

    /// @inheritdoc IPointsLedger
    function createDomain(DomainConfig calldata config) external onlyRole(COUNCIL_ROLE) returns (uint32) {
        return _createDomain(config);
    }

    /// @inheritdoc IPointsLedger
    function setDomainAgency(uint32 domainId, address agency) external onlyRole(COUNCIL_ROLE) {
        _existingDomain(domainId);
        if (agency == address(0)) revert PointsLedgerInvalidAddress(agency);
        _domainAgencies[domainId] = agency;
        emit DomainAgencyChanged(domainId, agency);
    }

    /// @inheritdoc IPointsLedger
    function setResidentCap(uint32 domainId, uint64 residentCap) external onlyRole(COUNCIL_ROLE) {
        _existingDomain(domainId).residentCap = residentCap;
        emit ResidentCapChanged(domainId, residentCap);
    }

    /// @inheritdoc IPointsLedger
    function setTransferable(uint32 domainId, bool transferable) external onlyRole(COUNCIL_ROLE) {
        _setFlag(_existingDomain(domainId), TRANSFERABLE, transferable);
        emit TransferPolicyChanged(domainId, transferable);
    }

    /// @inheritdoc IPointsLedger
    function pause() external onlyRole(PAUSER_ROLE) {
        _requireNotPaused();
        _setPaused(true);
        emit LedgerPaused(msg.sender);
    }

    /// @inheritdoc IPointsLedger
    function unpause() external onlyRole(COUNCIL_ROLE) {
        if (!_paused) revert PointsLedgerNotPaused();
        _setPaused(false);
        emit LedgerUnpaused(msg.sender);
    }

    /// @inheritdoc IPointsLedger
    function pauseDomain(uint32 domainId) external onlyRole(PAUSER_ROLE) {
        DomainLedger storage d = _existingDomain(domainId);
        if (d.flags & PAUSED != 0) revert PointsLedgerDomainPaused(domainId);
        _setFlag(d, PAUSED, true);
        emit DomainPaused(domainId, msg.sender);
    }

    /// @inheritdoc IPointsLedger
    function unpauseDomain(uint32 domainId) external onlyRole(COUNCIL_ROLE) {
        DomainLedger storage d = _existingDomain(domainId);
        if (d.flags & PAUSED == 0) revert PointsLedgerDomainNotPaused(domainId);
        _setFlag(d, PAUSED, false);
        emit DomainUnpaused(domainId, msg.sender);
    }

    // ─────────────────────────────────────────────────────────── Views

    /// @inheritdoc IPointsLedger
    function domainCount() public view returns (uint32) {
        return _domainCount;
    }

    /// @inheritdoc IPointsLedger
    function domain(uint32 domainId) external view returns (DomainView memory) {
        DomainLedger storage d = _existingDomain(domainId);
        return DomainView({
            name: _domainNames[domainId],
            agency: _domainAgencies[domainId],
            pointValue: d.pointValue,
            residentCap: d.residentCap,
            transferable: d.flags & TRANSFERABLE != 0,
            paused: d.flags & PAUSED != 0,
            supply: d.supply
        });
    }

    /// @inheritdoc IPointsLedger
    function paused() external view returns (bool) {
        return _paused;
    }

    // ─────────────────────────────────────────────────────────── Internal

    function _createDomain(DomainConfig memory config) internal returns (uint32 domainId) {
        uint256 nameLength = bytes(config.name).length;
        if (nameLength == 0 || nameLength > MAX_NAME_BYTES) revert PointsLedgerInvalidName(config.name);
        if (config.agency == address(0)) revert PointsLedgerInvalidAddress(config.agency);
        if (config.pointValue == 0) revert PointsLedgerInvalidPointValue(config.pointValue);
        if (_domainCount >= MAX_DOMAINS) revert PointsLedgerTooManyDomains(_domainCount);
        domainId = ++_domainCount;
        _domains[domainId] = DomainLedger({
            supply: 0,
            residentCap: config.residentCap,
            pointValue: config.pointValue,
            flags: EXISTS | (config.transferable ? TRANSFERABLE : 0) | (_paused ? LEDGER_PAUSED : 0)
        });
        _domainNames[domainId] = config.name;
        _domainAgencies[domainId] = config.agency;
        emit DomainCreated(
            domainId, config.name, config.agency, config.pointValue, config.residentCap, config.transferable
        );
    }

    function _requireNotPaused() internal view {
        if (_paused) revert PointsLedgerPaused();
    }

    /// @dev Reverts unless the domain exists and neither it nor the ledger is paused; returns the
    /// handle of its slot for the other functions here.
    function _activeDomain(uint32 domainId) internal view returns (DomainLedger storage d) {
        d = _domains[domainId];
        uint8 flags = d.flags;
        if (flags & EXISTS == 0) revert PointsLedgerUnknownDomain(domainId);
        if (flags & LEDGER_PAUSED != 0) revert PointsLedgerPaused();
        if (flags & PAUSED != 0) revert PointsLedgerDomainPaused(domainId);
    }

    /// @dev Reverts unless the domain exists; returns the handle of its slot.
    function _existingDomain(uint32 domainId) internal view returns (DomainLedger storage d) {
        d = _domains[domainId];
        if (d.flags & EXISTS == 0) revert PointsLedgerUnknownDomain(domainId);
    }

    function _agencyOf(uint32 domainId) internal view returns (address) {
        return _domainAgencies[domainId];
    }

    function _requireAgency(uint32 domainId) internal view {
        if (_domainAgencies[domainId] != msg.sender) revert PointsLedgerNotDomainAgency(domainId, msg.sender);
    }

    function _residentCap(DomainLedger storage d) internal view returns (uint256) {
        return d.residentCap;
    }

    function _pointValue(DomainLedger storage d) internal view returns (uint256) {
        return d.pointValue;
    }

    function _isTransferable(DomainLedger storage d) internal view returns (bool) {
        return d.flags & TRANSFERABLE != 0;
    }

    /// @dev Points were issued in the domain.
    function _increaseSupply(DomainLedger storage d, uint256 amount) internal {
        d.supply += uint128(amount);
    }

    /// @dev Points were burned from a balance in the domain (redeemed).
    function _decreaseSupply(DomainLedger storage d, uint256 amount) internal {
        // Cannot underflow: the supply is the sum of balances, and callers burn only what a balance held.
        unchecked {
            d.supply -= uint128(amount);
        }
    }

    /// @dev An exchange burned `amountIn` from a balance in `source` and credited `amountOut` in
    /// `destination`. Written out rather than calling the two functions above: the compiler then
    /// inlines the burn into both exchange and redemption, where a shared call cost each ~20 gas.
    function _exchangeSupply(
        DomainLedger storage source,
        DomainLedger storage destination,
        uint256 amountIn,
        uint256 amountOut
    ) internal {
        // Cannot underflow: as in {_decreaseSupply}.
        unchecked {
            source.supply -= uint128(amountIn);
        }
        destination.supply += uint128(amountOut);
    }

    // ─────────────────────────────────────────────────────────── Private

    /// @dev Sets the global pause and mirrors it into every domain's flags (at most MAX_DOMAINS writes).
    function _setPaused(bool value) private {
        _paused = value;
        uint32 count = _domainCount;
        for (uint32 domainId = 1; domainId <= count; ++domainId) {
            _setFlag(_domains[domainId], LEDGER_PAUSED, value);
        }
    }

    function _setFlag(DomainLedger storage d, uint8 flag, bool value) private {
        d.flags = value ? d.flags | flag : d.flags & ~flag;
    }
}
