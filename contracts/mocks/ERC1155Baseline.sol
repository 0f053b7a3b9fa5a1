// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";

/// @title ERC-1155 baseline
/// @notice Test-only baseline for the gas benchmark: OpenZeppelin's ERC1155 with bare mint and burn,
/// no access control, claim ids or limits.
contract ERC1155Baseline is ERC1155 {
    constructor() ERC1155("") {}

    /// @notice Mints `amount` of token `id` to `to`.
    /// @param to The holder.
    /// @param id The token id.
    /// @param amount The amount.
    function mint(address to, uint256 id, uint256 amount) external {
        _mint(to, id, amount, "");
    }

    /// @notice Mints `amount` of token `id` to each of `to`, one `_mint` each.
    /// @param to The holders.
    /// @param id The token id.
    /// @param amount The amount for each.
    function mintMany(address[] calldata to, uint256 id, uint256 amount) external {
        for (uint256 i; i < to.length; ++i) {
            _mint(to[i], id, amount, "");
        }
    }

    /// @notice Burns `amount` of `burnId` from `holder` and mints as much of `mintId` to them.
    /// @param holder The holder.
    /// @param burnId The token burned.
    /// @param mintId The token minted.
    /// @param amount The amount.
    function burnAndMint(address holder, uint256 burnId, uint256 mintId, uint256 amount) external {
        _burn(holder, burnId, amount);
        _mint(holder, mintId, amount, "");
    }
}
