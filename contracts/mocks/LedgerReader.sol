// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IPointsLedger} from "../interfaces/IPointsLedger.sol";

/// @title Ledger reader
/// @notice Test-only: reads many balances and nonces in one call, so random-sequence tests can compare
/// the whole ledger with their model after every step.
contract LedgerReader {
    /// @notice Every balance and nonce of `residents` in domains 1 to `domains`.
    /// @param ledger The ledger.
    /// @param residents The residents.
    /// @param domains The number of domains.
    /// @return balances Row-major: `balances[i * domains + (d - 1)]` is resident i's balance in domain d.
    /// @return nonces The same layout for nonces.
    function snapshot(IPointsLedger ledger, address[] calldata residents, uint32 domains)
        external
        view
        returns (uint256[] memory balances, uint256[] memory nonces)
    {
        balances = new uint256[](residents.length * domains);
        nonces = new uint256[](residents.length * domains);
        for (uint256 i; i < residents.length; ++i) {
            for (uint32 d = 1; d <= domains; ++d) {
                balances[i * domains + d - 1] = ledger.balanceOf(residents[i], d);
                nonces[i * domains + d - 1] = ledger.nonces(residents[i], d);
            }
        }
    }
}
