// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IPointsLedger} from "../interfaces/IPointsLedger.sol";
import {IntentHashes} from "../libraries/IntentHashes.sol";

/// @title Intent hashes harness
/// @notice Test-only: exposes the type hashes and struct hashes the ledger computes with
/// {IntentHashes}, so a test can compare them with `sdk/src/eip712.ts` without adding getters to the
/// ledger itself.
contract IntentHashesHarness {
    using IntentHashes for IPointsLedger.ExchangeIntent;
    using IntentHashes for IPointsLedger.RedeemIntent;
    using IntentHashes for IPointsLedger.TransferIntent;

    /// @notice The type hash of {IPointsLedger.ExchangeIntent}.
    bytes32 public constant EXCHANGE_INTENT_TYPEHASH = IntentHashes.EXCHANGE_INTENT_TYPEHASH;
    /// @notice The type hash of {IPointsLedger.RedeemIntent}.
    bytes32 public constant REDEEM_INTENT_TYPEHASH = IntentHashes.REDEEM_INTENT_TYPEHASH;
    /// @notice The type hash of {IPointsLedger.TransferIntent}.
    bytes32 public constant TRANSFER_INTENT_TYPEHASH = IntentHashes.TRANSFER_INTENT_TYPEHASH;

    /// @notice The struct hash the ledger verifies an exchange intent with.
    /// @param intent The intent.
    /// @return The struct hash.
    function hashExchange(IPointsLedger.ExchangeIntent calldata intent) external pure returns (bytes32) {
        return intent.hash();
    }

    /// @notice The struct hash the ledger verifies a redemption intent with.
    /// @param intent The intent.
    /// @return The struct hash.
    function hashRedeem(IPointsLedger.RedeemIntent calldata intent) external pure returns (bytes32) {
        return intent.hash();
    }

    /// @notice The struct hash the ledger verifies a transfer intent with.
    /// @param intent The intent.
    /// @return The struct hash.
    function hashTransfer(IPointsLedger.TransferIntent calldata intent) external pure returns (bytes32) {
        return intent.hash();
    }
}
