// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IPointsLedger} from "../interfaces/IPointsLedger.sol";

/// @title EIP-712 struct hashes of residents' intents
/// @dev The type strings here and `sdk/src/eip712.ts` must stay identical; a test checks both.
library IntentHashes {
    bytes32 internal constant EXCHANGE_TYPEHASH = keccak256(
        "ExchangeIntent(address resident,uint32 fromDomain,uint32 toDomain,uint128 amountIn,uint128 minAmountOut,"
        "uint256 nonce,uint256 deadline)"
    );

    bytes32 internal constant REDEEM_TYPEHASH = keccak256(
        "RedeemIntent(address resident,uint32 domainId,uint128 amount,address partner,bytes32 orderRef,"
        "uint256 nonce,uint256 deadline)"
    );

    bytes32 internal constant TRANSFER_TYPEHASH = keccak256(
        "TransferIntent(address resident,uint32 domainId,address to,uint128 amount,uint256 nonce,uint256 deadline)"
    );

    function hash(IPointsLedger.ExchangeIntent calldata intent) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                EXCHANGE_TYPEHASH,
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

    function hash(IPointsLedger.RedeemIntent calldata intent) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                REDEEM_TYPEHASH,
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

    function hash(IPointsLedger.TransferIntent calldata intent) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                TRANSFER_TYPEHASH,
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
