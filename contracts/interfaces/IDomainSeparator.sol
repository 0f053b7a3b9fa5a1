// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title An EIP-712 domain separator
/// @notice The one view the stations read from the ledger: the separator residents' intents are
/// signed under, so that a staff member stamps the very digest the resident signed.
interface IDomainSeparator {
    /// @notice The EIP-712 domain separator of the contract.
    /// @return The separator for this chain and that contract.
    function DOMAIN_SEPARATOR() external view returns (bytes32); // solhint-disable-line func-name-mixedcase
}
