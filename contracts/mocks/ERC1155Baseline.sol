// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";

/// @dev Test-only baseline for the gas benchmark: OpenZeppelin's ERC1155 with bare mint and burn,
/// no access control, claim ids or limits.
contract ERC1155Baseline is ERC1155 {
    constructor() ERC1155("") {}

    function mint(address to, uint256 id, uint256 amount) external {
        _mint(to, id, amount, "");
    }

    function mintMany(address[] calldata to, uint256 id, uint256 amount) external {
        for (uint256 i; i < to.length; ++i) {
            _mint(to[i], id, amount, "");
        }
    }

    function burnAndMint(address holder, uint256 burnId, uint256 mintId, uint256 amount) external {
        _burn(holder, burnId, amount);
        _mint(holder, mintId, amount, "");
    }
}
