// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IPointsLedger} from "../interfaces/IPointsLedger.sol";

/// @title EIP-712 struct hashes of residents' intents
/// @notice The ledger's one definition of the intents' EIP-712 types.
/// @dev The type strings here and `sdk/src/eip712.ts` must stay identical; a test
/// (test/contracts/PointsLedger.intents.test.ts) compares the strings, the type hashes and the struct hashes.
library IntentHashes {
    bytes32 internal constant EXCHANGE_INTENT_TYPEHASH = keccak256(
        "ExchangeIntent(address resident,uint32 fromDomain,uint32 toDomain,uint128 amountIn,uint128 minAmountOut,"
        "uint256 nonce,uint256 deadline)"
    );

    bytes32 internal constant REDEEM_INTENT_TYPEHASH = keccak256(
        "RedeemIntent(address resident,uint32 domainId,uint128 amount,address partner,bytes32 orderRef,"
        "uint256 nonce,uint256 deadline)"
    );

    bytes32 internal constant TRANSFER_INTENT_TYPEHASH = keccak256(
        "TransferIntent(address resident,uint32 domainId,address to,uint128 amount,uint256 nonce,uint256 deadline)"
    );

    /// @notice The EIP-712 struct hash of a exchange intent.
    /// @param intent The intent.
    /// @return The struct hash, to be hashed with the ledger's domain separator.
    function hash(IPointsLedger.ExchangeIntent calldata intent) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                EXCHANGE_INTENT_TYPEHASH,
                intent.resident,
                intent.fromDomain,
                intent.toDomain,
                intent.amountIn,
                intent.minAmountOut,
                intent.nonce,
                intent.deadline
            )
        );
    }

    /// @notice The EIP-712 struct hash of a redemption intent.
    /// @param intent The intent.
    /// @return The struct hash, to be hashed with the ledger's domain separator.
    function hash(IPointsLedger.RedeemIntent calldata intent) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                REDEEM_INTENT_TYPEHASH,
                intent.resident,
                intent.domainId,
                intent.amount,
                intent.partner,
                intent.orderRef,
                intent.nonce,
                intent.deadline
            )
        );
    }

    /// @notice The EIP-712 struct hash of a transfer intent.
    /// @param intent The intent.
    /// @return The struct hash, to be hashed with the ledger's domain separator.
    function hash(IPointsLedger.TransferIntent calldata intent) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                TRANSFER_INTENT_TYPEHASH,
                intent.resident,
                intent.domainId,
                intent.to,
                intent.amount,
                intent.nonce,
                intent.deadline
            )
        );
    }
}
