// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title Use-once ids in bitmaps
/// @notice Marks ids used, once each, 256 to a storage word.
/// @dev Bits 8..255 of an id select a word, bits 0..7 a bit in it (as Permit2's unordered nonces),
/// so ids used in sequence share a word: the first id of a word costs a fresh slot, the next 255
/// cost a warm update.
library UsedBitmap {
    /// @dev Marks `id` used; returns false, changing nothing, if it already was.
    function use(mapping(uint256 wordPos => uint256 bits) storage bitmap, uint256 id) internal returns (bool) {
        uint256 wordPos = id >> 8;
        uint256 bit = 1 << (id & 0xff);
        uint256 word = bitmap[wordPos];
        if (word & bit != 0) return false;
        bitmap[wordPos] = word | bit;
        return true;
    }

    /// @dev Whether `id` was used.
    function isUsed(mapping(uint256 wordPos => uint256 bits) storage bitmap, uint256 id) internal view returns (bool) {
        return bitmap[id >> 8] & (1 << (id & 0xff)) != 0;
    }
}
