// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice The id of the exchange agreement from one domain to another: `fromDomain << 32 | toDomain`.
/// ABI-encoded as the `uint64` it wraps.
type AgreementId is uint64;

using AgreementIdLibrary for AgreementId global;

/// @title Agreement ids
/// @notice The one place that packs two domain ids into an agreement id and unpacks them (as
/// Uniswap v4-core's `PoolIdLibrary` does for pool ids).
library AgreementIdLibrary {
    /// @notice The id of the agreement from `fromDomain` to `toDomain`.
    /// @param fromDomain The source domain, in bits 32..63.
    /// @param toDomain The destination domain, in bits 0..31.
    /// @return id The packed id.
    function toAgreementId(uint32 fromDomain, uint32 toDomain) internal pure returns (AgreementId id) {
        return AgreementId.wrap((uint64(fromDomain) << 32) | toDomain);
    }

    /// @notice The two domains an agreement id names.
    /// @param id The agreement id.
    /// @return The source domain.
    /// @return The destination domain.
    function domains(AgreementId id) internal pure returns (uint32, uint32) {
        uint64 packed = AgreementId.unwrap(id);
        return (uint32(packed >> 32), uint32(packed));
    }

    /// @notice The source domain an agreement id names.
    /// @param id The agreement id.
    /// @return The source domain.
    function source(AgreementId id) internal pure returns (uint32) {
        return uint32(AgreementId.unwrap(id) >> 32);
    }

    /// @notice The destination domain an agreement id names.
    /// @param id The agreement id.
    /// @return The destination domain.
    function destination(AgreementId id) internal pure returns (uint32) {
        return uint32(AgreementId.unwrap(id));
    }
}
