// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {P256} from "@openzeppelin/contracts/utils/cryptography/P256.sol";

/// @title What a P-256 verification costs without the precompile
/// @notice Never deployed: preflight runs its creation code through `eth_call`. The constructor
/// verifies one signature with OpenZeppelin's Solidity implementation (the fallback passkey
/// accounts use on a chain without P256VERIFY) and reverts with the outcome and the gas it took,
/// which `eth_call` hands back as revert data.
contract P256GasProbe {
    /// @notice The probe's answer.
    /// @param valid Whether the signature verified.
    /// @param gasUsed Gas the Solidity verification took.
    error P256GasProbeMeasured(bool valid, uint256 gasUsed);

    /// @notice Verifies `(r, s)` over `h` for the key `(qx, qy)` and reverts with the outcome.
    /// @param h The message hash.
    /// @param r Signature r.
    /// @param s Signature s.
    /// @param qx Public key x.
    /// @param qy Public key y.
    constructor(bytes32 h, bytes32 r, bytes32 s, bytes32 qx, bytes32 qy) {
        uint256 start = gasleft();
        bool valid = P256.verifySolidity(h, r, s, qx, qy);
        revert P256GasProbeMeasured(valid, start - gasleft());
    }
}
