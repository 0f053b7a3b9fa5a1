// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IPointsLedger} from "./IPointsLedger.sol";

/// @title Community stations
/// @notice Citizen stations (市民驿站) where community service staff (社区服务员) help residents
/// without a phone on a shared terminal. Every operation done there goes through this contract,
/// which records, on chain, the station and the staff member that helped, and holds each station
/// to a number of assisted operations per day.
///
/// @dev **Two signatures.** An assisted redemption or exchange carries the resident's own
/// passkey assertion (their FIDO2 card), which the ledger checks exactly as for
/// `redeemByPasskey`/`exchangeByPasskey`: staff never sign for a resident, and nothing here can
/// move a resident's points without that assertion. It carries as well the staff member's
/// assertion over a {StationStamp} — the station, the kind of operation, the operation (for an
/// intent: the same EIP-712 digest the resident signed) and the day — which the registry of
/// passkey accounts verifies for the staff member's account. An enrolment (the first credential
/// of a new card, which `PasskeyAccounts.register` takes without an assertion) carries the stamp
/// only.
///
/// **Days and limits.** A day is `block.timestamp / 1 days` (UTC). A stamp is valid on its day
/// only. Each station's count of assisted operations restarts each day, and an operation past the
/// station's {StationView-dailyLimit} reverts with {StationsDailyLimitReached}. Only the
/// registrar sets limits, and staff of one station cannot stamp for another.
///
/// **Who governs.** The registrar (a city office, set at deployment) adds stations, sets their
/// limits, closes and reopens them, and appoints and removes staff; the council replaces the
/// registrar. Nothing personal is stored or emitted: ids, limits, the station's display name and
/// passkey account addresses.
interface ICommunityStations {
    // ─────────────────────────────────────────────────────────── Types

    /// @notice What a staff member helped with.
    enum AssistedKind {
        Enrolment,
        Exchange,
        Redemption
    }

    /// @notice A station as {station} returns it.
    /// @param name Its display name, e.g. "市民驿站 · 东门".
    /// @param dailyLimit Most assisted operations per day.
    /// @param active False while the registrar has it closed.
    /// @param day Today (`block.timestamp / 1 days`).
    /// @param countToday Assisted operations so far today.
    struct StationView {
        string name;
        uint32 dailyLimit;
        bool active;
        uint64 day;
        uint32 countToday;
    }

    // ─────────────────────────────────────────────────────────── Errors

    /// @notice Thrown for a zero council, registrar, ledger or registry address.
    /// @param account The rejected address.
    error StationsInvalidAddress(address account);

    /// @notice Thrown when a call only the council may make comes from another address.
    /// @param account The caller.
    error StationsNotCouncil(address account);

    /// @notice Thrown when a call only the registrar may make comes from another address.
    /// @param account The caller.
    error StationsNotRegistrar(address account);

    /// @notice Thrown for a station id that was never added.
    /// @param stationId The id.
    error StationsUnknownStation(uint32 stationId);

    /// @notice Thrown when a station's name is empty or longer than {MAX_NAME_BYTES}.
    /// @param length The name's length in bytes.
    error StationsInvalidName(uint256 length);

    /// @notice Thrown when a daily limit is zero (close the station instead).
    error StationsInvalidLimit();

    /// @notice Thrown when staff would be appointed who is not a passkey account with a credential.
    /// @param account The address.
    error StationsNotPasskeyAccount(address account);

    /// @notice Thrown for an operation at a station the registrar has closed.
    /// @param stationId The station.
    error StationsStationClosed(uint32 stationId);

    /// @notice Thrown when the account stamping an operation is not staff of the station (never
    /// appointed, removed, or staff of another station).
    /// @param stationId The station.
    /// @param account The account.
    error StationsNotStaff(uint32 stationId, address account);

    /// @notice Thrown when the station has done its day's limit of assisted operations.
    /// @param stationId The station.
    /// @param day The day.
    /// @param dailyLimit Its limit.
    error StationsDailyLimitReached(uint32 stationId, uint64 day, uint32 dailyLimit);

    // ─────────────────────────────────────────────────────────── Events

    /// @notice Emitted once, at deployment.
    /// @param council The council, which replaces the registrar.
    /// @param ledger The ledger assisted operations go to.
    /// @param passkeyAccounts The registry that verifies staff and resident assertions.
    event CommunityStationsConfigured(address council, address ledger, address passkeyAccounts);

    /// @notice Emitted when the registrar changes (at deployment from zero).
    /// @param previous The previous registrar.
    /// @param registrar The new one.
    event StationRegistrarSet(address previous, address registrar);

    /// @notice Emitted when a station is added.
    /// @param stationId Its id, from 1.
    /// @param name Its display name.
    /// @param dailyLimit Most assisted operations per day.
    event StationAdded(uint32 indexed stationId, string name, uint32 dailyLimit);

    /// @notice Emitted when a station's limit changes.
    /// @param stationId The station.
    /// @param dailyLimit The new limit, from the operation after this one.
    event StationLimitSet(uint32 indexed stationId, uint32 dailyLimit);

    /// @notice Emitted when a station is closed or reopened.
    /// @param stationId The station.
    /// @param active Whether it takes operations.
    event StationActiveSet(uint32 indexed stationId, bool active);

    /// @notice Emitted when a staff member is appointed to or removed from a station.
    /// @param stationId The station.
    /// @param account The staff member's passkey account.
    /// @param allowed True when appointed.
    event StationStaffSet(uint32 indexed stationId, address indexed account, bool allowed);

    /// @notice Emitted for each assisted operation, in the transaction of the ledger's (or the
    /// registry's) own event for it: `PointsRedeemed`, `PointsExchanged` or `CredentialAdded`.
    /// @param stationId The station.
    /// @param staff The staff member who stamped it.
    /// @param resident The resident's passkey account.
    /// @param kind What it was.
    /// @param day Its day.
    /// @param countToday The station's assisted operations on that day, this one included.
    event StationAssisted(
        uint32 indexed stationId,
        address indexed staff,
        address indexed resident,
        AssistedKind kind,
        uint64 day,
        uint32 countToday
    );

    // ─────────────────────────────────────────────────────────── Registrar and council

    /// @notice Replaces the registrar. Only the council.
    /// @param registrar The new registrar (not zero).
    function setRegistrar(address registrar) external;

    /// @notice Adds an open station. Only the registrar.
    /// @param name Its display name, 1 to {MAX_NAME_BYTES} bytes of UTF-8.
    /// @param dailyLimit Most assisted operations per day (not zero).
    /// @return stationId Its id: 1 for the first, then counting up.
    function addStation(string calldata name, uint32 dailyLimit) external returns (uint32 stationId);

    /// @notice Changes a station's daily limit. Only the registrar.
    /// @param stationId The station.
    /// @param dailyLimit The new limit (not zero).
    function setStationLimit(uint32 stationId, uint32 dailyLimit) external;

    /// @notice Closes or reopens a station. Only the registrar.
    /// @param stationId The station.
    /// @param active Whether it takes operations.
    function setStationActive(uint32 stationId, bool active) external;

    /// @notice Appoints or removes a staff member. Only the registrar.
    /// @param stationId The station.
    /// @param account The staff member's passkey account (it must have an active credential to be
    /// appointed).
    /// @param allowed True to appoint, false to remove.
    function setStaff(uint32 stationId, address account, bool allowed) external;

    // ─────────────────────────────────────────────────────────── Assisted operations

    /// @notice A redemption at a partner, signed by the resident and stamped by staff of the station.
    /// @param stationId The station.
    /// @param intent The resident's redemption intent.
    /// @param residentAssertion The resident's assertion of the intent's ledger digest.
    /// @param staff The staff member's passkey account.
    /// @param staffAssertion The staff member's assertion of the {StationStamp} digest.
    function redeemAssisted(
        uint32 stationId,
        IPointsLedger.RedeemIntent calldata intent,
        bytes calldata residentAssertion,
        address staff,
        bytes calldata staffAssertion
    ) external;

    /// @notice An exchange, signed by the resident and stamped by staff of the station.
    /// @param stationId The station.
    /// @param intent The resident's exchange intent.
    /// @param residentAssertion The resident's assertion of the intent's ledger digest.
    /// @param staff The staff member's passkey account.
    /// @param staffAssertion The staff member's assertion of the {StationStamp} digest.
    /// @return amountOut The points the resident received.
    function exchangeAssisted(
        uint32 stationId,
        IPointsLedger.ExchangeIntent calldata intent,
        bytes calldata residentAssertion,
        address staff,
        bytes calldata staffAssertion
    ) external returns (uint256 amountOut);

    /// @notice Registers a new card's credential as the first of a new passkey account (as
    /// `PasskeyAccounts.register`), stamped by staff of the station.
    /// @param stationId The station.
    /// @param qx The card credential's public key, x.
    /// @param qy The card credential's public key, y.
    /// @param credentialId The card credential's WebAuthn credential id.
    /// @param staff The staff member's passkey account.
    /// @param staffAssertion The staff member's assertion of the {StationStamp} digest, whose
    /// operation is {enrolmentHash} of the credential.
    /// @return account The new account.
    function enrolAssisted(
        uint32 stationId,
        bytes32 qx,
        bytes32 qy,
        bytes calldata credentialId,
        address staff,
        bytes calldata staffAssertion
    ) external returns (address account);

    // ─────────────────────────────────────────────────────────── Views

    /// @notice The registrar.
    /// @return The address that manages stations and staff.
    function registrar() external view returns (address);

    /// @notice Stations added so far (ids run from 1 to this).
    /// @return The count.
    function stationCount() external view returns (uint32);

    /// @notice A station; {StationView-countToday} reads zero once its day has passed.
    /// @param stationId The station.
    /// @return Its name, limit, state and today's count.
    function station(uint32 stationId) external view returns (StationView memory);

    /// @notice Whether an account is staff of a station.
    /// @param stationId The station.
    /// @param account The account.
    /// @return True while appointed.
    function isStaff(uint32 stationId, address account) external view returns (bool);

    /// @notice The digest a staff member's assertion signs: EIP-712 under this contract's domain
    /// ("CityPointsStations", "1") of
    /// `StationStamp(uint32 stationId,uint8 kind,bytes32 operation,uint64 day)`.
    /// @param stationId The station.
    /// @param kind What is stamped.
    /// @param operation For an exchange or redemption the intent's EIP-712 digest under the ledger
    /// (what the resident signs); for an enrolment {enrolmentHash}.
    /// @param day The day (`timestamp / 1 days`) it is submitted on.
    /// @return The digest, the assertion's challenge.
    function stampDigest(uint32 stationId, AssistedKind kind, bytes32 operation, uint64 day)
        external
        view
        returns (bytes32);

    /// @notice What an enrolment's stamp names: `keccak256(abi.encode(keccak256(abi.encode(qx,
    /// qy)), keccak256(credentialId)))`, the credential's key id and its id's hash.
    /// @param qx The public key, x.
    /// @param qy The public key, y.
    /// @param credentialId The credential id.
    /// @return The operation hash.
    function enrolmentHash(bytes32 qx, bytes32 qy, bytes calldata credentialId) external pure returns (bytes32);

    /// @notice The current day, as stamps name it.
    /// @return `block.timestamp / 1 days`.
    function today() external view returns (uint64);

    /// @notice The EIP-712 domain separator stamps are signed under.
    /// @return The separator for this chain and this contract.
    function DOMAIN_SEPARATOR() external view returns (bytes32); // solhint-disable-line func-name-mixedcase
}
