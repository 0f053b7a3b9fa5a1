// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IPointsLedger} from "../interfaces/IPointsLedger.sol";

/// @notice One version of an agreement in one storage word (as Uniswap v4-core's `Slot0`), so that
/// an exchange reads the version in force with one load. From the low bits up: the fields of
/// {IPointsLedger.AgreementTerms} in their order (rateNum 0..39, rateDen 40..79, periodCap 80..143,
/// validFromPeriod 144..175, validUntilPeriod 176..207, version 208..223), then one bit per side
/// (224: the source domain's, 225: the destination's). For the version in force a side's bit means
/// it suspended the agreement; for a pending version, that it approved it. A pending version also
/// counts the versions each side proposed since a version last came into force (source 232..239,
/// destination 240..247), so that the ledger can bound them. Zero: no version.
type AgreementVersion is uint256;

using AgreementVersionLibrary for AgreementVersion global;

/// @title Packing of agreement versions
/// @notice The one place that knows the layout of {AgreementVersion}.
library AgreementVersionLibrary {
    uint256 private constant MASK_16 = type(uint16).max;
    uint256 private constant MASK_32 = type(uint32).max;
    uint256 private constant MASK_40 = type(uint40).max;
    uint256 private constant MASK_64 = type(uint64).max;

    uint256 private constant RATE_DEN_OFFSET = 40;
    uint256 private constant PERIOD_CAP_OFFSET = 80;
    uint256 private constant VALID_FROM_OFFSET = 144;
    uint256 private constant VALID_UNTIL_OFFSET = 176;
    uint256 private constant VERSION_OFFSET = 208;
    uint256 private constant FROM_SIDE = 1 << 224;
    uint256 private constant TO_SIDE = 1 << 225;
    uint256 private constant SOURCE_PROPOSALS_OFFSET = 232;
    uint256 private constant DESTINATION_PROPOSALS_OFFSET = 240;
    uint256 private constant MASK_8 = type(uint8).max;
    /// @dev The terms and the version number: everything below the side bits.
    uint256 private constant TERMS = (1 << 224) - 1;
    /// @dev Both sides' proposal counts.
    uint256 private constant PROPOSALS = (MASK_8 << SOURCE_PROPOSALS_OFFSET) | (MASK_8 << DESTINATION_PROPOSALS_OFFSET);

    /// @notice A version with these terms, neither side's bit set.
    /// @param numerator Rate numerator.
    /// @param denominator Rate denominator.
    /// @param cap Most points in per period (0: none).
    /// @param firstPeriod First period of the window.
    /// @param lastPeriod Last period of the window.
    /// @param number The version's number.
    /// @return The packed word.
    function pack(
        uint40 numerator,
        uint40 denominator,
        uint64 cap,
        uint32 firstPeriod,
        uint32 lastPeriod,
        uint16 number
    ) internal pure returns (AgreementVersion) {
        return AgreementVersion.wrap(
            uint256(numerator) | (uint256(denominator) << RATE_DEN_OFFSET) | (uint256(cap) << PERIOD_CAP_OFFSET)
                | (uint256(firstPeriod) << VALID_FROM_OFFSET) | (uint256(lastPeriod) << VALID_UNTIL_OFFSET)
                | (uint256(number) << VERSION_OFFSET)
        );
    }

    /// @notice The terms, as the views return them.
    /// @param v The packed word.
    /// @return Its terms.
    function terms(AgreementVersion v) internal pure returns (IPointsLedger.AgreementTerms memory) {
        return IPointsLedger.AgreementTerms({
            rateNum: uint40(rateNum(v)),
            rateDen: uint40(rateDen(v)),
            periodCap: uint64(periodCap(v)),
            validFromPeriod: uint32(validFromPeriod(v)),
            validUntilPeriod: uint32(validUntilPeriod(v)),
            version: version(v)
        });
    }

    /// @notice The rate's numerator.
    /// @param v The packed word.
    /// @return The numerator.
    function rateNum(AgreementVersion v) internal pure returns (uint256) {
        return AgreementVersion.unwrap(v) & MASK_40;
    }

    /// @notice The rate's denominator.
    /// @param v The packed word.
    /// @return The denominator.
    function rateDen(AgreementVersion v) internal pure returns (uint256) {
        return (AgreementVersion.unwrap(v) >> RATE_DEN_OFFSET) & MASK_40;
    }

    /// @notice The most points in per period (0: none).
    /// @param v The packed word.
    /// @return The cap.
    function periodCap(AgreementVersion v) internal pure returns (uint256) {
        return (AgreementVersion.unwrap(v) >> PERIOD_CAP_OFFSET) & MASK_64;
    }

    /// @notice The first period of the window.
    /// @param v The packed word.
    /// @return The period.
    function validFromPeriod(AgreementVersion v) internal pure returns (uint256) {
        return (AgreementVersion.unwrap(v) >> VALID_FROM_OFFSET) & MASK_32;
    }

    /// @notice The last period of the window.
    /// @param v The packed word.
    /// @return The period.
    function validUntilPeriod(AgreementVersion v) internal pure returns (uint256) {
        return (AgreementVersion.unwrap(v) >> VALID_UNTIL_OFFSET) & MASK_32;
    }

    /// @notice The version's number; 0 for no version.
    /// @param v The packed word.
    /// @return The number.
    function version(AgreementVersion v) internal pure returns (uint16) {
        return uint16((AgreementVersion.unwrap(v) >> VERSION_OFFSET) & MASK_16);
    }

    /// @notice For the version in force: whether the source domain's side suspended it.
    /// @param v The packed word.
    /// @return The source side's bit.
    function suspendedByFrom(AgreementVersion v) internal pure returns (bool) {
        return AgreementVersion.unwrap(v) & FROM_SIDE != 0;
    }

    /// @notice For the version in force: whether the destination domain's side suspended it.
    /// @param v The packed word.
    /// @return The destination side's bit.
    function suspendedByTo(AgreementVersion v) internal pure returns (bool) {
        return AgreementVersion.unwrap(v) & TO_SIDE != 0;
    }

    /// @notice For a pending version: whether the source domain's side approved it.
    /// @param v The packed word.
    /// @return The source side's bit.
    function approvedByFrom(AgreementVersion v) internal pure returns (bool) {
        return AgreementVersion.unwrap(v) & FROM_SIDE != 0;
    }

    /// @notice For a pending version: whether the destination domain's side approved it.
    /// @param v The packed word.
    /// @return The destination side's bit.
    function approvedByTo(AgreementVersion v) internal pure returns (bool) {
        return AgreementVersion.unwrap(v) & TO_SIDE != 0;
    }

    /// @notice The same word with the source side's bit set to `value`.
    /// @param v The packed word.
    /// @param value Whether that side suspends (in force) or approved (pending) the version.
    /// @return The new word.
    function withFromSide(AgreementVersion v, bool value) internal pure returns (AgreementVersion) {
        uint256 word = AgreementVersion.unwrap(v);
        return AgreementVersion.wrap(value ? word | FROM_SIDE : word & ~FROM_SIDE);
    }

    /// @notice The same word with the destination side's bit set to `value`.
    /// @param v The packed word.
    /// @param value Whether that side suspends (in force) or approved (pending) the version.
    /// @return The new word.
    function withToSide(AgreementVersion v, bool value) internal pure returns (AgreementVersion) {
        uint256 word = AgreementVersion.unwrap(v);
        return AgreementVersion.wrap(value ? word | TO_SIDE : word & ~TO_SIDE);
    }

    /// @notice For the version replacing a pending one: the proposal counts carried over, with one
    /// more for the proposing side.
    /// @param pending The pending version being replaced (zero for none).
    /// @param sourceSide True if the source domain's side proposes, false for the destination's.
    /// @return counts The counts' bits, to set with {withProposals}.
    /// @return bySide The proposing side's count, this proposal included.
    function countProposal(AgreementVersion pending, bool sourceSide)
        internal
        pure
        returns (uint256 counts, uint256 bySide)
    {
        uint256 offset = sourceSide ? SOURCE_PROPOSALS_OFFSET : DESTINATION_PROPOSALS_OFFSET;
        // Cannot carry into the next field: callers refuse a count above 8 before storing it.
        counts = (AgreementVersion.unwrap(pending) & PROPOSALS) + (1 << offset);
        bySide = (counts >> offset) & MASK_8;
    }

    /// @notice The same word with the proposal counts {countProposal} gave.
    /// @param v The packed word, without counts.
    /// @param counts The counts' bits.
    /// @return The new word.
    function withProposals(AgreementVersion v, uint256 counts) internal pure returns (AgreementVersion) {
        return AgreementVersion.wrap(AgreementVersion.unwrap(v) | counts);
    }

    /// @notice A pending version put in force: the approvals and proposal counts are dropped, so it
    /// starts unsuspended.
    /// @param v The pending version.
    /// @return The version in force.
    function inForce(AgreementVersion v) internal pure returns (AgreementVersion) {
        return AgreementVersion.wrap(AgreementVersion.unwrap(v) & TERMS);
    }
}
