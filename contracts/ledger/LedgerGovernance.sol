// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IPointsLedger} from "../interfaces/IPointsLedger.sol";
import {LedgerBase} from "./LedgerBase.sol";

/// @dev Domains, issuers, limits and pauses: the changes no single agency may make alone.
abstract contract LedgerGovernance is LedgerBase {
    uint256 private constant MAX_NAME_BYTES = 32;

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
                && _domainAgencies[domainId] != msg.sender
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

    /// @inheritdoc IPointsLedger
    function pause() external onlyRole(PAUSER_ROLE) {
        _requireNotPaused();
        _setPaused(true);
        emit LedgerPaused(msg.sender);
    }

    /// @inheritdoc IPointsLedger
    function unpause() external onlyRole(COUNCIL_ROLE) {
        if (!paused()) revert PointsLedgerNotPaused();
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
    function domainCount() external view returns (uint32) {
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
    function issuerState(uint32 domainId, address issuer) external view returns (IssuerView memory) {
        IssuerQuota storage state = _issuers[domainId][issuer];
        return IssuerView({
            admitted: state.admitted,
            suspended: state.suspended,
            quota: state.quota,
            usedThisPeriod: state.period == _currentPeriod() ? state.used : 0
        });
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
            flags: EXISTS | (config.transferable ? TRANSFERABLE : 0) | (paused() ? LEDGER_PAUSED : 0)
        });
        _domainNames[domainId] = config.name;
        _domainAgencies[domainId] = config.agency;
        emit DomainCreated(
            domainId, config.name, config.agency, config.pointValue, config.residentCap, config.transferable
        );
    }

    function _setIssuerQuota(uint32 domainId, address issuer, uint96 quota) internal {
        if (issuer == address(0)) revert PointsLedgerInvalidAddress(issuer);
        if (quota == 0) revert PointsLedgerInvalidQuota(quota);
        IssuerQuota storage state = _issuers[domainId][issuer];
        state.admitted = true;
        state.quota = quota;
        emit IssuerQuotaSet(domainId, issuer, quota);
    }
}
