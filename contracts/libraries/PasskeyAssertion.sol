// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {Bytes} from "@openzeppelin/contracts/utils/Bytes.sol";
import {P256} from "@openzeppelin/contracts/utils/cryptography/P256.sol";
import {WebAuthn} from "@openzeppelin/contracts/utils/cryptography/WebAuthn.sol";
import {IPasskeyAccounts} from "../interfaces/IPasskeyAccounts.sol";

/// @title WebAuthn assertions, checked with a reason for each failure
/// @notice Decodes an {IPasskeyAccounts-Assertion} from its ABI encoding and checks it against an
/// expected challenge. OpenZeppelin's `WebAuthn.verify` answers only true or false; here each
/// condition it tests, and the signature's form, is checked first with its own error, and
/// `WebAuthn.verify` (which also verifies the P-256 signature, through the P256VERIFY precompile
/// where the chain has it) has the last word.
library PasskeyAssertion {
    /// @dev Flag bits of the authenticator data (WebAuthn §6.1): user present, user verified,
    /// backup eligible, backed up.
    bytes1 private constant UP = 0x01;
    bytes1 private constant UV = 0x04;
    bytes1 private constant BE = 0x08;
    bytes1 private constant BS = 0x10;

    /// @dev Relying party hash (32), flags (1) and signature counter (4).
    uint256 private constant MIN_AUTHENTICATOR_DATA = 37;
    /// @dev Eight head words: qx, qy, two offsets, challengeIndex, typeIndex, r, s.
    uint256 private constant HEAD_BYTES = 0x100;

    /// @dev Half the order of P-256: a signature's s must not exceed it.
    uint256 private constant HALF_N = P256.N / 2;

    /// @dev Decodes the flat tuple of an {IPasskeyAccounts-Assertion}, with a named error where
    /// `abi.decode` would revert without a reason.
    function decode(bytes calldata data) internal pure returns (IPasskeyAccounts.Assertion memory a) {
        if (data.length < HEAD_BYTES) revert IPasskeyAccounts.PasskeyAccountsMalformedAssertion();
        _checkTail(data, uint256(bytes32(data[0x40:0x60])));
        _checkTail(data, uint256(bytes32(data[0x60:0x80])));
        (a.qx, a.qy, a.authenticatorData, a.clientDataJSON, a.challengeIndex, a.typeIndex, a.r, a.s) =
            abi.decode(data, (bytes32, bytes32, bytes, string, uint256, uint256, bytes32, bytes32));
    }

    /// @dev Reverts with the first condition the assertion fails for `challenge`; returns when
    /// `WebAuthn.verify` accepts it too.
    function check(IPasskeyAccounts.Assertion memory a, bytes32 challenge, bytes32 keyId) internal view {
        uint256 length = a.authenticatorData.length;
        if (length < MIN_AUTHENTICATOR_DATA) revert IPasskeyAccounts.PasskeyAccountsAuthenticatorDataTooShort(length);
        bytes1 flags = a.authenticatorData[32];
        if (flags & UP == 0) revert IPasskeyAccounts.PasskeyAccountsUserNotPresent(flags);
        if (flags & UV == 0) revert IPasskeyAccounts.PasskeyAccountsUserNotVerified(flags);
        if (flags & BS != 0 && flags & BE == 0) revert IPasskeyAccounts.PasskeyAccountsInvalidBackupState(flags);

        bytes memory json = bytes(a.clientDataJSON);
        if (!_hasAt(json, a.typeIndex, bytes("\"type\":\"webauthn.get\""))) {
            revert IPasskeyAccounts.PasskeyAccountsWrongClientDataType(a.typeIndex);
        }
        bytes memory encodedChallenge = abi.encodePacked(challenge);
        bytes memory expected = bytes.concat("\"challenge\":\"", bytes(Base64.encodeURL(encodedChallenge)), "\"");
        if (!_hasAt(json, a.challengeIndex, expected)) revert IPasskeyAccounts.PasskeyAccountsWrongChallenge(challenge);

        uint256 r = uint256(a.r);
        uint256 s = uint256(a.s);
        if (r == 0 || r >= P256.N || s == 0 || s >= P256.N) {
            revert IPasskeyAccounts.PasskeyAccountsMalformedSignature(a.r, a.s);
        }
        if (s > HALF_N) revert IPasskeyAccounts.PasskeyAccountsMalleableSignature(a.s);

        WebAuthn.WebAuthnAuth memory auth = WebAuthn.WebAuthnAuth({
            r: a.r,
            s: a.s,
            challengeIndex: a.challengeIndex,
            typeIndex: a.typeIndex,
            authenticatorData: a.authenticatorData,
            clientDataJSON: a.clientDataJSON
        });
        if (!WebAuthn.verify(encodedChallenge, auth, a.qx, a.qy, true)) {
            revert IPasskeyAccounts.PasskeyAccountsInvalidSignature(keyId);
        }
    }

    /// @dev A dynamic field's length word must lie inside `data`, and the bytes it counts too.
    function _checkTail(bytes calldata data, uint256 offset) private pure {
        if (offset > data.length - 0x20) revert IPasskeyAccounts.PasskeyAccountsMalformedAssertion();
        uint256 length = uint256(bytes32(data[offset:offset + 0x20]));
        if (length > data.length - offset - 0x20) revert IPasskeyAccounts.PasskeyAccountsMalformedAssertion();
    }

    /// @dev Whether `expected` occurs in `json` at `index` exactly.
    function _hasAt(bytes memory json, uint256 index, bytes memory expected) private pure returns (bool) {
        if (index > json.length || json.length - index < expected.length) return false;
        return keccak256(Bytes.slice(json, index, index + expected.length)) == keccak256(expected);
    }
}
