// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IPointsLedger} from "../interfaces/IPointsLedger.sol";

/// @title Ledger base
/// @notice Roles, limits and the period clock every part of the ledger shares. It holds no state of
/// its own: each concern keeps its state private in its own contract (domains and pauses in
/// {LedgerDomains}, balances and nonces in {LedgerAccounts}, issuers and claims in {LedgerIssuance},
/// agreements and their use in {LedgerAgreements}, partners and paid orders in {LedgerIntents}, settlement in
/// {LedgerSettlement}) and the others reach it through that contract's functions.
abstract contract LedgerBase is IPointsLedger, AccessControl {
    // ─────────────────────────────────────────────────────────── Constants and roles

    /// @notice The council (the agencies together, through their council contract).
    bytes32 public constant COUNCIL_ROLE = DEFAULT_ADMIN_ROLE;
    /// @notice May pause the ledger or a domain; only the council lifts a pause.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /// @notice Largest amount in one issuance, exchange, redemption or transfer.
    uint256 public constant MAX_AMOUNT = type(uint64).max;
    /// @notice Largest number of items in one batch issuance.
    uint256 public constant MAX_BATCH = 500;
    /// @notice Largest number of domains; bounds the settlement loop.
    uint256 public constant MAX_DOMAINS = 64;
    /// @notice Largest number of agreements ever in force; bounds the settlement loop.
    uint256 public constant MAX_AGREEMENTS = 256;

    /// @notice Start of period 0.
    uint256 public immutable GENESIS_TIME;
    /// @notice Length of a period in seconds.
    uint256 public immutable PERIOD_SECONDS;

    // ─────────────────────────────────────────────────────────── Constructor

    /// @notice Gives the two roles and starts the period clock. Emits {LedgerConfigured}.
    /// @param council Holder of the council role (the council contract).
    /// @param pauser Holder of the pauser role.
    /// @param periodSeconds Length of a period.
    constructor(address council, address pauser, uint256 periodSeconds) {
        if (council == address(0)) revert PointsLedgerInvalidAddress(council);
        if (pauser == address(0)) revert PointsLedgerInvalidAddress(pauser);
        if (periodSeconds == 0 || periodSeconds > type(uint32).max) {
            revert PointsLedgerInvalidPeriodLength(periodSeconds);
        }
        GENESIS_TIME = block.timestamp;
        PERIOD_SECONDS = periodSeconds;
        _grantRole(COUNCIL_ROLE, council);
        _grantRole(PAUSER_ROLE, pauser);
        emit LedgerConfigured(uint64(block.timestamp), uint64(periodSeconds));
    }

    // ─────────────────────────────────────────────────────────── Views

    /// @inheritdoc IPointsLedger
    function currentPeriod() public view returns (uint32) {
        return _currentPeriod();
    }

    // ─────────────────────────────────────────────────────────── Internal

    function _currentPeriod() internal view returns (uint32) {
        // A uint32 of periods of at least one second outlasts the chain.
        return uint32((block.timestamp - GENESIS_TIME) / PERIOD_SECONDS);
    }

    function _requireAmount(uint256 amount) internal pure {
        if (amount == 0) revert PointsLedgerZeroAmount();
        if (amount > MAX_AMOUNT) revert PointsLedgerAmountTooLarge(amount);
    }
}
