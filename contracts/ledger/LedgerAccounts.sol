// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IPointsLedger} from "../interfaces/IPointsLedger.sol";
import {LedgerBase} from "./LedgerBase.sol";

/// @title Ledger accounts
/// @notice Residents' balances, their issuance cap use and their intent nonces, one slot per
/// resident and domain. The only contract that reads or writes an account.
abstract contract LedgerAccounts is LedgerBase {
    // ─────────────────────────────────────────────────────────── Storage

    /// @dev One slot: a resident's balance in a domain, what they were issued in `capPeriod`, and the
    /// next nonce of their intents spending from this domain (kept here so an intent costs no extra slot).
    struct Account {
        uint96 balance;
        uint32 capPeriod;
        uint64 capUsed;
        uint64 nonce;
    }

    mapping(uint32 domainId => mapping(address resident => Account)) private _accounts;

    // ─────────────────────────────────────────────────────────── Views

    /// @inheritdoc IPointsLedger
    function balanceOf(address resident, uint256 domainId) external view returns (uint256) {
        if (domainId > type(uint32).max) return 0;
        return _accounts[uint32(domainId)][resident].balance;
    }

    /// @inheritdoc IPointsLedger
    function nonces(address resident, uint32 domainId) external view returns (uint256) {
        return _accounts[domainId][resident].nonce;
    }

    /// @inheritdoc IPointsLedger
    function residentIssuedThisPeriod(uint32 domainId, address resident) external view returns (uint256) {
        Account storage account = _accounts[domainId][resident];
        return account.capPeriod == _currentPeriod() ? account.capUsed : 0;
    }

    // ─────────────────────────────────────────────────────────── Internal

    /// @dev Credits issued points, checking and recording the resident's cap use in one slot write.
    function _creditIssued(uint32 domainId, address resident, uint256 amount, uint32 period, uint256 cap) internal {
        if (resident == address(0)) revert PointsLedgerInvalidAddress(resident);
        Account storage account = _accounts[domainId][resident];
        uint256 used = account.capPeriod == period ? account.capUsed : 0;
        if (cap != 0) {
            uint256 remaining = cap > used ? cap - used : 0;
            if (amount > remaining) revert PointsLedgerResidentCapExceeded(domainId, resident, amount, remaining);
        }
        uint256 balance = account.balance + amount;
        if (balance > type(uint96).max) revert PointsLedgerAmountTooLarge(balance);
        // Without a cap the use is only recorded, so it saturates rather than reverting; a cap set
        // later in the period then finds the resident at or above it.
        uint256 newUsed = used + amount;
        if (newUsed > type(uint64).max) newUsed = type(uint64).max;
        account.balance = uint96(balance);
        account.capPeriod = period;
        account.capUsed = uint64(newUsed);
    }

    /// @dev Spends a resident's intent: checks its nonce is the next one for the domain, and takes
    /// `amount` from the balance, in one slot write.
    function _spend(uint32 domainId, address resident, uint256 amount, uint256 nonce) internal {
        Account storage account = _accounts[domainId][resident];
        uint256 expected = account.nonce;
        if (nonce != expected) revert PointsLedgerInvalidNonce(domainId, resident, nonce, expected);
        uint256 balance = account.balance;
        if (balance < amount) revert PointsLedgerInsufficientBalance(domainId, resident, balance, amount);
        // Cannot underflow: checked just above. Cannot overflow: 2^64 intents will not be signed.
        unchecked {
            account.balance = uint96(balance - amount);
            account.nonce = uint64(expected + 1);
        }
    }

    /// @dev Adds `amount` to a resident's balance without touching cap use (exchange in, transfer in).
    function _credit(uint32 domainId, address resident, uint256 amount) internal {
        Account storage account = _accounts[domainId][resident];
        uint256 balance = account.balance + amount;
        if (balance > type(uint96).max) revert PointsLedgerAmountTooLarge(balance);
        account.balance = uint96(balance);
    }
}
