// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {ICommunityStations} from "./interfaces/ICommunityStations.sol";
import {IDomainSeparator} from "./interfaces/IDomainSeparator.sol";
import {IPasskeyAccounts} from "./interfaces/IPasskeyAccounts.sol";
import {IPointsLedger} from "./interfaces/IPointsLedger.sol";
import {IntentHashes} from "./libraries/IntentHashes.sol";

/// @title Community stations
/// @notice See {ICommunityStations}. Deployed after the ledger; it calls the ledger's
/// `*ByPasskey` entrypoints like any other submitter, so the ledger needs no role for it.
contract CommunityStations is ICommunityStations, EIP712 {
    using IntentHashes for IPointsLedger.ExchangeIntent;
    using IntentHashes for IPointsLedger.RedeemIntent;

    // ─────────────────────────────────────────────────────────── Constants

    /// @notice Longest station name, in bytes of UTF-8.
    uint256 public constant MAX_NAME_BYTES = 96;

    bytes32 private constant STAMP_TYPEHASH =
        keccak256("StationStamp(uint32 stationId,uint8 kind,bytes32 operation,uint64 day)");

    /// @notice The council: replaces the registrar.
    address public immutable COUNCIL;
    /// @notice The ledger assisted exchanges and redemptions go to.
    IPointsLedger public immutable LEDGER;
    /// @notice The registry that verifies staff assertions and registers enrolled cards.
    IPasskeyAccounts public immutable PASSKEY_ACCOUNTS_REGISTRY;

    // ─────────────────────────────────────────────────────────── Storage

    /// @dev `dailyLimit`, `active`, `day` and `countToday` share one slot: an operation reads and
    /// writes that slot only (the name has its own).
    struct Station {
        uint32 dailyLimit;
        bool active;
        uint64 day;
        uint32 countToday;
        string name;
    }

    address private _registrar;
    Station[] private _stations;
    mapping(uint32 stationId => mapping(address account => bool)) private _staff;

    // ─────────────────────────────────────────────────────────── Constructor

    /// @notice Deploys the stations' registry. Emits {CommunityStationsConfigured} and {StationRegistrarSet}.
    /// @param council The council contract.
    /// @param ledger The ledger.
    /// @param passkeyAccounts The registry of passkey accounts the ledger uses.
    /// @param initialRegistrar Who adds stations and staff until the council replaces it.
    constructor(address council, IPointsLedger ledger, IPasskeyAccounts passkeyAccounts, address initialRegistrar)
        EIP712("CityPointsStations", "1")
    {
        if (council == address(0)) revert StationsInvalidAddress(council);
        if (address(ledger) == address(0)) revert StationsInvalidAddress(address(ledger));
        if (address(passkeyAccounts) == address(0)) revert StationsInvalidAddress(address(passkeyAccounts));
        COUNCIL = council;
        LEDGER = ledger;
        PASSKEY_ACCOUNTS_REGISTRY = passkeyAccounts;
        emit CommunityStationsConfigured(council, address(ledger), address(passkeyAccounts));
        _setRegistrar(initialRegistrar);
    }

    // ─────────────────────────────────────────────────────────── Registrar and council

    /// @inheritdoc ICommunityStations
    function setRegistrar(address newRegistrar) external {
        if (msg.sender != COUNCIL) revert StationsNotCouncil(msg.sender);
        _setRegistrar(newRegistrar);
    }

    /// @inheritdoc ICommunityStations
    function addStation(string calldata name, uint32 dailyLimit) external returns (uint32 stationId) {
        _requireRegistrar();
        uint256 length = bytes(name).length;
        if (length == 0 || length > MAX_NAME_BYTES) revert StationsInvalidName(length);
        if (dailyLimit == 0) revert StationsInvalidLimit();
        _stations.push(Station({dailyLimit: dailyLimit, active: true, day: 0, countToday: 0, name: name}));
        // Cannot overflow in practice: 2^32 stations will not be added.
        stationId = uint32(_stations.length);
        emit StationAdded(stationId, name, dailyLimit);
    }

    /// @inheritdoc ICommunityStations
    function setStationLimit(uint32 stationId, uint32 dailyLimit) external {
        _requireRegistrar();
        if (dailyLimit == 0) revert StationsInvalidLimit();
        _station(stationId).dailyLimit = dailyLimit;
        emit StationLimitSet(stationId, dailyLimit);
    }

    /// @inheritdoc ICommunityStations
    function setStationActive(uint32 stationId, bool active) external {
        _requireRegistrar();
        _station(stationId).active = active;
        emit StationActiveSet(stationId, active);
    }

    /// @inheritdoc ICommunityStations
    function setStaff(uint32 stationId, address account, bool allowed) external {
        _requireRegistrar();
        _station(stationId);
        if (allowed && PASSKEY_ACCOUNTS_REGISTRY.credentialsOf(account).length == 0) {
            revert StationsNotPasskeyAccount(account);
        }
        _staff[stationId][account] = allowed;
        emit StationStaffSet(stationId, account, allowed);
    }

    // ─────────────────────────────────────────────────────────── Assisted operations

    /// @inheritdoc ICommunityStations
    function redeemAssisted(
        uint32 stationId,
        IPointsLedger.RedeemIntent calldata intent,
        bytes calldata residentAssertion,
        address staff,
        bytes calldata staffAssertion
    ) external {
        bytes32 operation = _ledgerDigest(intent.hash());
        _stamp(stationId, AssistedKind.Redemption, operation, intent.resident, staff, staffAssertion);
        LEDGER.redeemByPasskey(intent, residentAssertion);
    }

    /// @inheritdoc ICommunityStations
    function exchangeAssisted(
        uint32 stationId,
        IPointsLedger.ExchangeIntent calldata intent,
        bytes calldata residentAssertion,
        address staff,
        bytes calldata staffAssertion
    ) external returns (uint256 amountOut) {
        bytes32 operation = _ledgerDigest(intent.hash());
        _stamp(stationId, AssistedKind.Exchange, operation, intent.resident, staff, staffAssertion);
        return LEDGER.exchangeByPasskey(intent, residentAssertion);
    }

    /// @inheritdoc ICommunityStations
    function enrolAssisted(
        uint32 stationId,
        bytes32 qx,
        bytes32 qy,
        bytes calldata credentialId,
        address staff,
        bytes calldata staffAssertion
    ) external returns (address account) {
        account = PASSKEY_ACCOUNTS_REGISTRY.accountOf(qx, qy);
        bytes32 operation = _enrolmentHash(qx, qy, credentialId);
        _stamp(stationId, AssistedKind.Enrolment, operation, account, staff, staffAssertion);
        PASSKEY_ACCOUNTS_REGISTRY.register(qx, qy, credentialId);
    }

    // ─────────────────────────────────────────────────────────── Views

    /// @inheritdoc ICommunityStations
    function registrar() external view returns (address) {
        return _registrar;
    }

    /// @inheritdoc ICommunityStations
    function stationCount() external view returns (uint32) {
        return uint32(_stations.length);
    }

    /// @inheritdoc ICommunityStations
    function station(uint32 stationId) external view returns (StationView memory) {
        Station storage s = _station(stationId);
        uint64 day = _today();
        return StationView({
            name: s.name,
            dailyLimit: s.dailyLimit,
            active: s.active,
            day: day,
            countToday: s.day == day ? s.countToday : 0
        });
    }

    /// @inheritdoc ICommunityStations
    function isStaff(uint32 stationId, address account) external view returns (bool) {
        return _staff[stationId][account];
    }

    /// @inheritdoc ICommunityStations
    function stampDigest(uint32 stationId, AssistedKind kind, bytes32 operation, uint64 day)
        external
        view
        returns (bytes32)
    {
        return _stampDigest(stationId, kind, operation, day);
    }

    /// @inheritdoc ICommunityStations
    function enrolmentHash(bytes32 qx, bytes32 qy, bytes calldata credentialId) external pure returns (bytes32) {
        return _enrolmentHash(qx, qy, credentialId);
    }

    /// @inheritdoc ICommunityStations
    function today() external view returns (uint64) {
        return _today();
    }

    /// @inheritdoc ICommunityStations
    function DOMAIN_SEPARATOR() external view returns (bytes32) { // solhint-disable-line func-name-mixedcase
        return _domainSeparatorV4();
    }

    // ─────────────────────────────────────────────────────────── Private

    /// @dev Checks the station and the staff member, counts the operation against the day's
    /// limit, has the registry verify the staff member's assertion of the stamp, and emits
    /// {StationAssisted}. Runs before the ledger's call; a revert there undoes the count too.
    function _stamp(
        uint32 stationId,
        AssistedKind kind,
        bytes32 operation,
        address resident,
        address staff,
        bytes calldata staffAssertion
    ) private {
        Station storage s = _station(stationId);
        if (!s.active) revert StationsStationClosed(stationId);
        if (!_staff[stationId][staff]) revert StationsNotStaff(stationId, staff);
        uint64 day = _today();
        uint32 count = s.day == day ? s.countToday : 0;
        if (count >= s.dailyLimit) revert StationsDailyLimitReached(stationId, day, s.dailyLimit);
        // Cannot overflow: count is below the limit, a uint32.
        unchecked {
            ++count;
        }
        s.day = day;
        s.countToday = count;
        PASSKEY_ACCOUNTS_REGISTRY.authorize(staff, _stampDigest(stationId, kind, operation, day), staffAssertion);
        emit StationAssisted(stationId, staff, resident, kind, day, count);
    }

    function _stampDigest(uint32 stationId, AssistedKind kind, bytes32 operation, uint64 day)
        private
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(keccak256(abi.encode(STAMP_TYPEHASH, stationId, uint8(kind), operation, day)));
    }

    /// @dev The intent's EIP-712 digest under the ledger: the challenge the resident's card signs.
    function _ledgerDigest(bytes32 structHash) private view returns (bytes32) {
        return MessageHashUtils.toTypedDataHash(IDomainSeparator(address(LEDGER)).DOMAIN_SEPARATOR(), structHash);
    }

    function _enrolmentHash(bytes32 qx, bytes32 qy, bytes calldata credentialId) private pure returns (bytes32) {
        return keccak256(abi.encode(keccak256(abi.encode(qx, qy)), keccak256(credentialId)));
    }

    function _today() private view returns (uint64) {
        return uint64(block.timestamp / 1 days);
    }

    function _station(uint32 stationId) private view returns (Station storage) {
        if (stationId == 0 || stationId > _stations.length) revert StationsUnknownStation(stationId);
        return _stations[stationId - 1];
    }

    function _requireRegistrar() private view {
        if (msg.sender != _registrar) revert StationsNotRegistrar(msg.sender);
    }

    function _setRegistrar(address newRegistrar) private {
        if (newRegistrar == address(0)) revert StationsInvalidAddress(newRegistrar);
        emit StationRegistrarSet(_registrar, newRegistrar);
        _registrar = newRegistrar;
    }
}
