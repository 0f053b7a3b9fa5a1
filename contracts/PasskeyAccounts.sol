// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {P256} from "@openzeppelin/contracts/utils/cryptography/P256.sol";
import {IPasskeyAccounts} from "./interfaces/IPasskeyAccounts.sol";
import {PasskeyAssertion} from "./libraries/PasskeyAssertion.sol";

/// @title Passkey accounts
/// @notice See {IPasskeyAccounts}. Deployed before the ledger, which holds its address as an
/// immutable; it knows the council, which appoints recovery agents and may veto a recovery.
contract PasskeyAccounts is IPasskeyAccounts, EIP712 {
    // ─────────────────────────────────────────────────────────── Constants

    /// @notice Tag of the account identifier's hash (see {accountOf}).
    bytes32 public constant ACCOUNT_ID_TAG = keccak256("CityPoints.PasskeyAccount");
    /// @notice Most active credentials per account; bounds the recovery's loop.
    uint256 public constant MAX_CREDENTIALS = 8;
    /// @notice Shortest recovery delay a deployment may choose.
    uint256 public constant MIN_RECOVERY_DELAY = 1 days;
    /// @notice Longest recovery delay a deployment may choose.
    uint256 public constant MAX_RECOVERY_DELAY = 90 days;
    /// @notice Longest WebAuthn credential id (WebAuthn Level 2, §5.8.3).
    uint256 public constant MAX_CREDENTIAL_ID_BYTES = 1023;

    bytes32 private constant ADD_CREDENTIAL_TYPEHASH = keccak256(
        "AddCredential(address account,bytes32 keyId,bytes32 credentialIdHash,uint256 nonce,uint256 deadline)"
    );
    bytes32 private constant REVOKE_CREDENTIAL_TYPEHASH =
        keccak256("RevokeCredential(address account,bytes32 keyId,uint256 nonce,uint256 deadline)");
    bytes32 private constant CANCEL_RECOVERY_TYPEHASH =
        keccak256("CancelRecovery(address account,bytes32 keyId,uint256 nonce,uint256 deadline)");

    /// @notice The council: appoints recovery agents, may propose and veto recoveries.
    address public immutable COUNCIL;
    /// @notice Seconds between a recovery's proposal and when it may be carried out.
    uint256 public immutable RECOVERY_DELAY;

    // ─────────────────────────────────────────────────────────── Storage

    /// @dev One slot: all an intent's verification reads about its credential.
    struct Credential {
        address account;
        CredentialStatus status;
    }

    struct PendingRecovery {
        bytes32 qx;
        bytes32 qy;
        address proposer;
        uint64 readyAt;
        bytes credentialId;
    }

    mapping(bytes32 keyId => Credential) private _credentials;
    mapping(address account => bytes32[] keyIds) private _activeKeys;
    mapping(address account => uint256) private _changeNonces;
    mapping(address account => PendingRecovery) private _recoveries;
    mapping(address agent => bool) private _recoveryAgents;

    // ─────────────────────────────────────────────────────────── Constructor

    /// @notice Deploys the registry. Emits {PasskeyAccountsConfigured}.
    /// @param council The council contract.
    /// @param recoveryDelay Seconds a recovery waits, between {MIN_RECOVERY_DELAY} and {MAX_RECOVERY_DELAY}.
    constructor(address council, uint256 recoveryDelay) EIP712("CityPointsPasskeyAccounts", "1") {
        if (council == address(0)) revert PasskeyAccountsInvalidAddress(council);
        if (recoveryDelay < MIN_RECOVERY_DELAY || recoveryDelay > MAX_RECOVERY_DELAY) {
            revert PasskeyAccountsInvalidRecoveryDelay(recoveryDelay);
        }
        COUNCIL = council;
        RECOVERY_DELAY = recoveryDelay;
        emit PasskeyAccountsConfigured(council, uint64(recoveryDelay));
    }

    // ─────────────────────────────────────────────────────────── Credentials

    /// @inheritdoc IPasskeyAccounts
    function register(bytes32 qx, bytes32 qy, bytes calldata credentialId) external returns (address account) {
        account = _accountOf(qx, qy);
        _addCredential(account, qx, qy, credentialId, bytes32(0));
    }

    /// @inheritdoc IPasskeyAccounts
    function addCredential(
        address account,
        bytes32 qx,
        bytes32 qy,
        bytes calldata credentialId,
        uint256 nonce,
        uint256 deadline,
        bytes calldata assertion
    ) external {
        bytes32 keyId = _keyIdOf(qx, qy);
        bytes32 structHash =
            keccak256(abi.encode(ADD_CREDENTIAL_TYPEHASH, account, keyId, keccak256(credentialId), nonce, deadline));
        bytes32 signer = _authorizeChange(account, nonce, deadline, structHash, assertion);
        uint256 count = _activeKeys[account].length;
        if (count >= MAX_CREDENTIALS) revert PasskeyAccountsTooManyCredentials(account, count);
        _addCredential(account, qx, qy, credentialId, signer);
    }

    /// @inheritdoc IPasskeyAccounts
    function revokeCredential(address account, bytes32 keyId, uint256 nonce, uint256 deadline, bytes calldata assertion)
        external
    {
        bytes32 structHash = keccak256(abi.encode(REVOKE_CREDENTIAL_TYPEHASH, account, keyId, nonce, deadline));
        bytes32 signer = _authorizeChange(account, nonce, deadline, structHash, assertion);
        Credential storage c = _credentials[keyId];
        if (c.status == CredentialStatus.None) revert PasskeyAccountsUnknownCredential(keyId);
        if (c.account != account) revert PasskeyAccountsWrongAccount(keyId, c.account, account);
        if (c.status == CredentialStatus.Revoked) revert PasskeyAccountsCredentialRevoked(keyId);
        if (_activeKeys[account].length == 1) revert PasskeyAccountsLastCredential(account, keyId);
        _revoke(account, keyId, signer);
    }

    // ─────────────────────────────────────────────────────────── Recovery

    /// @inheritdoc IPasskeyAccounts
    function proposeRecovery(address account, bytes32 qx, bytes32 qy, bytes calldata credentialId) external {
        if (!_recoveryAgents[msg.sender] && msg.sender != COUNCIL) revert PasskeyAccountsNotRecoveryAgent(msg.sender);
        _requireAccount(account);
        PendingRecovery storage pending = _recoveries[account];
        if (pending.readyAt != 0) revert PasskeyAccountsRecoveryPending(account, pending.readyAt);
        bytes32 keyId = _requireNewKey(qx, qy, credentialId);
        // Reserved for the account: nobody can register the proposed key while the recovery waits.
        _credentials[keyId] = Credential({account: account, status: CredentialStatus.Proposed});
        // Cannot overflow: a timestamp plus at most 90 days fits in 64 bits for billions of years.
        uint64 readyAt = uint64(block.timestamp + RECOVERY_DELAY);
        _recoveries[account] =
            PendingRecovery({qx: qx, qy: qy, proposer: msg.sender, readyAt: readyAt, credentialId: credentialId});
        emit RecoveryProposed(account, keyId, qx, qy, credentialId, msg.sender, readyAt);
    }

    /// @inheritdoc IPasskeyAccounts
    function cancelRecovery(address account, uint256 nonce, uint256 deadline, bytes calldata assertion) external {
        PendingRecovery storage pending = _pendingRecovery(account);
        bytes32 proposed = _keyIdOf(pending.qx, pending.qy);
        bytes32 structHash = keccak256(abi.encode(CANCEL_RECOVERY_TYPEHASH, account, proposed, nonce, deadline));
        bytes32 signer = _authorizeChange(account, nonce, deadline, structHash, assertion);
        _dropRecovery(account, proposed);
        emit RecoveryCancelled(account, proposed, signer);
    }

    /// @inheritdoc IPasskeyAccounts
    function vetoRecovery(address account) external {
        _requireCouncil();
        PendingRecovery storage pending = _pendingRecovery(account);
        bytes32 proposed = _keyIdOf(pending.qx, pending.qy);
        _dropRecovery(account, proposed);
        emit RecoveryCancelled(account, proposed, bytes32(0));
    }

    /// @inheritdoc IPasskeyAccounts
    function executeRecovery(address account) external {
        PendingRecovery memory pending = _pendingRecovery(account);
        if (block.timestamp < pending.readyAt) revert PasskeyAccountsRecoveryNotReady(account, pending.readyAt);
        delete _recoveries[account];
        bytes32 keyId = _keyIdOf(pending.qx, pending.qy);
        emit RecoveryExecuted(account, keyId);
        bytes32[] storage keys = _activeKeys[account];
        for (uint256 i = keys.length; i > 0; --i) {
            _revoke(account, keys[i - 1], bytes32(0));
        }
        _activate(account, keyId, pending.qx, pending.qy, pending.credentialId, bytes32(0));
    }

    /// @inheritdoc IPasskeyAccounts
    function setRecoveryAgent(address agent, bool allowed) external {
        _requireCouncil();
        if (agent == address(0)) revert PasskeyAccountsInvalidAddress(agent);
        _recoveryAgents[agent] = allowed;
        emit RecoveryAgentSet(agent, allowed);
    }

    // ─────────────────────────────────────────────────────────── The ledger's intents

    /// @inheritdoc IPasskeyAccounts
    function authorize(address account, bytes32 digest, bytes calldata assertion) external returns (bytes32 keyId) {
        return _verify(account, digest, assertion);
    }

    // ─────────────────────────────────────────────────────────── Views

    /// @inheritdoc IPasskeyAccounts
    function accountOf(bytes32 qx, bytes32 qy) external pure returns (address) {
        return _accountOf(qx, qy);
    }

    /// @inheritdoc IPasskeyAccounts
    function keyIdOf(bytes32 qx, bytes32 qy) external pure returns (bytes32) {
        return _keyIdOf(qx, qy);
    }

    /// @inheritdoc IPasskeyAccounts
    function credential(bytes32 keyId) external view returns (CredentialView memory) {
        Credential storage c = _credentials[keyId];
        return CredentialView({account: c.account, status: c.status});
    }

    /// @inheritdoc IPasskeyAccounts
    function credentialsOf(address account) external view returns (bytes32[] memory) {
        return _activeKeys[account];
    }

    /// @inheritdoc IPasskeyAccounts
    function changeNonce(address account) external view returns (uint256) {
        return _changeNonces[account];
    }

    /// @inheritdoc IPasskeyAccounts
    function recovery(address account) external view returns (RecoveryView memory) {
        PendingRecovery storage pending = _recoveries[account];
        if (pending.readyAt == 0) return RecoveryView(bytes32(0), bytes32(0), bytes32(0), address(0), 0);
        return RecoveryView({
            keyId: _keyIdOf(pending.qx, pending.qy),
            qx: pending.qx,
            qy: pending.qy,
            proposer: pending.proposer,
            readyAt: pending.readyAt
        });
    }

    /// @inheritdoc IPasskeyAccounts
    function isRecoveryAgent(address agent) external view returns (bool) {
        return _recoveryAgents[agent];
    }

    /// @inheritdoc IPasskeyAccounts
    function DOMAIN_SEPARATOR() external view returns (bytes32) { // solhint-disable-line func-name-mixedcase
        return _domainSeparatorV4();
    }

    // ─────────────────────────────────────────────────────────── Private

    function _accountOf(bytes32 qx, bytes32 qy) private pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encode(ACCOUNT_ID_TAG, qx, qy)))));
    }

    function _keyIdOf(bytes32 qx, bytes32 qy) private pure returns (bytes32) {
        return keccak256(abi.encode(qx, qy));
    }

    /// @dev Checks the assertion: it must come from an active credential of `account` and carry
    /// `digest` as its challenge (PasskeyAssertion.check gives the other reasons).
    function _verify(address account, bytes32 digest, bytes calldata encoded) private returns (bytes32 keyId) {
        Assertion memory a = PasskeyAssertion.decode(encoded);
        keyId = _keyIdOf(a.qx, a.qy);
        Credential storage c = _credentials[keyId];
        CredentialStatus status = c.status;
        if (status == CredentialStatus.None) revert PasskeyAccountsUnknownCredential(keyId);
        if (status == CredentialStatus.Revoked) revert PasskeyAccountsCredentialRevoked(keyId);
        if (status == CredentialStatus.Proposed) revert PasskeyAccountsCredentialProposed(keyId);
        if (c.account != account) revert PasskeyAccountsWrongAccount(keyId, c.account, account);
        PasskeyAssertion.check(a, digest, keyId);
        emit PasskeyAssertionVerified(
            account, keyId, msg.sender, digest, a.authenticatorData, a.clientDataJSON, a.r, a.s
        );
    }

    /// @dev Checks a credential change's deadline, nonce and assertion; spends the nonce. Returns
    /// the key id of the credential that signed.
    function _authorizeChange(
        address account,
        uint256 nonce,
        uint256 deadline,
        bytes32 structHash,
        bytes calldata assertion
    ) private returns (bytes32 signer) {
        if (block.timestamp > deadline) revert PasskeyAccountsExpired(deadline);
        uint256 expected = _changeNonces[account];
        if (nonce != expected) revert PasskeyAccountsInvalidNonce(account, nonce, expected);
        signer = _verify(account, _hashTypedDataV4(structHash), assertion);
        // Cannot overflow: 2^256 changes will not be signed.
        unchecked {
            _changeNonces[account] = expected + 1;
        }
    }

    /// @dev Checks a new credential (a key on the curve, never registered nor proposed, a credential
    /// id) and returns its key id.
    function _requireNewKey(bytes32 qx, bytes32 qy, bytes memory credentialId) private view returns (bytes32 keyId) {
        if (!P256.isValidPublicKey(qx, qy)) revert PasskeyAccountsInvalidPublicKey(qx, qy);
        uint256 idLength = credentialId.length;
        if (idLength == 0 || idLength > MAX_CREDENTIAL_ID_BYTES) revert PasskeyAccountsInvalidCredentialId(idLength);
        keyId = _keyIdOf(qx, qy);
        Credential storage existing = _credentials[keyId];
        if (existing.status != CredentialStatus.None) revert PasskeyAccountsCredentialExists(keyId, existing.account);
    }

    function _addCredential(address account, bytes32 qx, bytes32 qy, bytes calldata credentialId, bytes32 authorisedBy)
        private
    {
        bytes32 keyId = _requireNewKey(qx, qy, credentialId);
        _activate(account, keyId, qx, qy, credentialId, authorisedBy);
    }

    function _activate(
        address account,
        bytes32 keyId,
        bytes32 qx,
        bytes32 qy,
        bytes memory credentialId,
        bytes32 authorisedBy
    ) private {
        _credentials[keyId] = Credential({account: account, status: CredentialStatus.Active});
        _activeKeys[account].push(keyId);
        emit CredentialAdded(account, keyId, qx, qy, credentialId, authorisedBy);
    }

    function _revoke(address account, bytes32 keyId, bytes32 authorisedBy) private {
        _credentials[keyId].status = CredentialStatus.Revoked;
        bytes32[] storage keys = _activeKeys[account];
        uint256 last = keys.length - 1;
        for (uint256 i; i <= last; ++i) {
            if (keys[i] == keyId) {
                keys[i] = keys[last];
                keys.pop();
                break;
            }
        }
        emit CredentialRevoked(account, keyId, authorisedBy);
    }

    /// @dev Forgets a recovery that will not be carried out, and the reservation of its key.
    function _dropRecovery(address account, bytes32 proposed) private {
        delete _recoveries[account];
        delete _credentials[proposed];
    }

    function _requireAccount(address account) private view {
        if (_activeKeys[account].length == 0) revert PasskeyAccountsUnknownAccount(account);
    }

    function _pendingRecovery(address account) private view returns (PendingRecovery storage pending) {
        pending = _recoveries[account];
        if (pending.readyAt == 0) revert PasskeyAccountsNoRecovery(account);
    }

    function _requireCouncil() private view {
        if (msg.sender != COUNCIL) revert PasskeyAccountsNotCouncil(msg.sender);
    }
}
