// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IPasskeyAccounts} from "./interfaces/IPasskeyAccounts.sol";
import {LedgerBase} from "./ledger/LedgerBase.sol";
import {LedgerIntents} from "./ledger/LedgerIntents.sol";
import {LedgerIssuance} from "./ledger/LedgerIssuance.sol";
import {LedgerSettlement} from "./ledger/LedgerSettlement.sol";

/// @title City points ledger
/// @notice See {IPointsLedger}. The deployer holds no role: the council and the pauser are given at
/// construction, with the registry of passkey accounts, the city's first domains and their first issuers.
contract PointsLedger is LedgerIssuance, LedgerIntents, LedgerSettlement {
    /// @notice Deploys the ledger with its roles, its period clock, its first domains and their issuers.
    /// @param council Holder of the council role (the council contract).
    /// @param pauser Holder of the pauser role.
    /// @param passkeyAccounts The registry of passkey accounts (PasskeyAccounts), deployed before.
    /// @param periodSeconds Length of a period (quotas, caps, agreement windows, settlement).
    /// @param domains Domains to create, with ids 1, 2, ... in this order.
    /// @param issuers Issuers to admit, with their quotas.
    constructor(
        address council,
        address pauser,
        IPasskeyAccounts passkeyAccounts,
        uint256 periodSeconds,
        DomainConfig[] memory domains,
        IssuerConfig[] memory issuers
    ) LedgerBase(council, pauser, periodSeconds) LedgerIntents(passkeyAccounts) {
        for (uint256 i; i < domains.length; ++i) {
            _createDomain(domains[i]);
        }
        for (uint256 i; i < issuers.length; ++i) {
            _existingDomain(issuers[i].domainId);
            _setIssuerQuota(issuers[i].domainId, issuers[i].issuer, issuers[i].quota);
        }
    }
}
