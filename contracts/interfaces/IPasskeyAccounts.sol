// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title Passkey accounts
/// @notice Resident accounts controlled by passkeys (WebAuthn credentials on P-256: a phone's
/// fingerprint or face unlock, or a FIDO2 card) instead of a secp256k1 key. The ledger asks this
/// contract to verify the WebAuthn assertion of every passkey-authorised intent; the account's
/// credentials are registered, added, revoked and, when all are lost, recovered here.
///
/// @dev **Account identifier.** An account is created by registering its first credential, and its
/// identifier is `address(uint160(uint256(keccak256(abi.encode(ACCOUNT_ID_TAG, qx, qy)))))`, where
/// (qx, qy) is that credential's P-256 public key ({accountOf}). It follows from the key alone, so:
/// - nobody can register themselves into someone else's account: registering a key creates the
///   account of that key, and nothing else; a credential joins an existing account only with an
///   assertion of one of its credentials ({addCredential}) or through the delayed recovery;
/// - anyone may submit a registration (the relay does): whoever submits it, the account is the
///   key holder's, and only the key holder can sign for it;
/// - it cannot collide with an ordinary address in practice. An externally owned address is the
///   low 160 bits of keccak256 of a secp256k1 public key, a contract's of keccak256 of its creator
///   and nonce (or salt); hitting a given passkey account with either is a 160-bit preimage
///   search (about 2^160 hashes), as is finding a P-256 key whose account equals a given
///   resident's address. The tag keeps the hash apart from every other keccak256 of two words.
///
/// **No ECDSA for passkey accounts.** The ledger's ECDSA entrypoints check that the signature
/// recovers to the resident named in the intent. For a passkey account that needs a secp256k1 key
/// whose address is the account identifier: the 2^160 preimage search above, so a passkey
/// account is spendable only by its credentials.
///
/// **What is checked.** Every assertion must come from an active credential of the account, carry
/// user presence and user verification, be of type "webauthn.get", have the expected challenge
/// and a low-s, well-formed P-256 signature; each failure has its own error. OpenZeppelin's
/// `WebAuthn.verify` then has the last word. The origin and the relying party hash are not
/// checked on chain: the authenticator scopes each credential to its relying party, so a key
/// registered here only ever signs for the city's app.
///
/// **Recovery.** A resident who lost every credential asks a recovery agent (an agency desk the
/// council appointed, after checking who they are) to propose a replacement credential. It takes
/// effect only {RECOVERY_DELAY} seconds later, when anyone calls {executeRecovery}; until then the
/// proposal is public ({RecoveryProposed}, {recovery}) and the resident can cancel it with any of
/// their credentials, and the council can veto it. docs/passkeys.md sets out the trade-offs.
interface IPasskeyAccounts {
    // ─────────────────────────────────────────────────────────── Types

    /// @notice A WebAuthn assertion ("navigator.credentials.get" response) by one credential, as
    /// {authorize} and the credential changes take it, ABI-encoded as the flat tuple
    /// `(bytes32 qx, bytes32 qy, bytes authenticatorData, string clientDataJSON, uint256
    /// challengeIndex, uint256 typeIndex, bytes32 r, bytes32 s)`.
    /// @param qx The credential's public key, x.
    /// @param qy The credential's public key, y.
    /// @param authenticatorData The authenticator data, as the authenticator returned it.
    /// @param clientDataJSON The client data JSON, as the browser returned it.
    /// @param challengeIndex Where `"challenge":"` starts in `clientDataJSON`.
    /// @param typeIndex Where `"type":"` starts in `clientDataJSON`.
    /// @param r Signature r.
    /// @param s Signature s, in the low half of the curve order.
    struct Assertion {
        bytes32 qx;
        bytes32 qy;
        bytes authenticatorData;
        string clientDataJSON;
        uint256 challengeIndex;
        uint256 typeIndex;
        bytes32 r;
        bytes32 s;
    }

    /// @notice What a credential is: never registered, able to sign, revoked for good, or proposed
    /// by a pending recovery (reserved for the account; it signs once the recovery is carried out).
    enum CredentialStatus {
        None,
        Active,
        Revoked,
        Proposed
    }

    /// @notice A credential as returned by {credential}.
    /// @param account The account it belongs to (zero if never registered).
    /// @param status Whether it can sign.
    struct CredentialView {
        address account;
        CredentialStatus status;
    }

    /// @notice A recovery waiting for its delay, as returned by {recovery}.
    /// @param keyId The proposed credential's key id (zero when none is pending).
    /// @param qx The proposed credential's public key, x.
    /// @param qy The proposed credential's public key, y.
    /// @param proposer The recovery agent or council that proposed it.
    /// @param readyAt When {executeRecovery} may carry it out (unix seconds).
    struct RecoveryView {
        bytes32 keyId;
        bytes32 qx;
        bytes32 qy;
        address proposer;
        uint64 readyAt;
    }

    // ─────────────────────────────────────────────────────────── Errors

    /// @notice Thrown at deployment when the council address is zero, and by {setRecoveryAgent} for
    /// the zero address.
    /// @param account The rejected address.
    error PasskeyAccountsInvalidAddress(address account);

    /// @notice Thrown at deployment when the recovery delay lies outside
    /// [{MIN_RECOVERY_DELAY}, {MAX_RECOVERY_DELAY}].
    /// @param delay The rejected delay, in seconds.
    error PasskeyAccountsInvalidRecoveryDelay(uint256 delay);

    /// @notice Thrown when a call only the council may make comes from another address.
    /// @param account The caller.
    error PasskeyAccountsNotCouncil(address account);

    /// @notice Thrown by {proposeRecovery} when the caller is neither a recovery agent nor the council.
    /// @param account The caller.
    error PasskeyAccountsNotRecoveryAgent(address account);

    /// @notice Thrown when a new credential's public key is not a point of the P-256 curve.
    /// @param qx The key's x.
    /// @param qy The key's y.
    error PasskeyAccountsInvalidPublicKey(bytes32 qx, bytes32 qy);

    /// @notice Thrown when a new credential's WebAuthn credential id is empty or longer than the
    /// 1,023 bytes WebAuthn allows.
    /// @param length The id's length.
    error PasskeyAccountsInvalidCredentialId(uint256 length);

    /// @notice Thrown when a new credential's key is already registered (active, revoked or proposed
    /// by a pending recovery: a key belongs to one account, once).
    /// @param keyId The key id.
    /// @param account The account it belongs to.
    error PasskeyAccountsCredentialExists(bytes32 keyId, address account);

    /// @notice Thrown when an account has no credential (it was never registered).
    /// @param account The account.
    error PasskeyAccountsUnknownAccount(address account);

    /// @notice Thrown when an assertion's or a revocation's key was never registered.
    /// @param keyId The key id.
    error PasskeyAccountsUnknownCredential(bytes32 keyId);

    /// @notice Thrown when an assertion comes from a revoked credential, or a revoked one is revoked again.
    /// @param keyId The revoked credential's key id.
    error PasskeyAccountsCredentialRevoked(bytes32 keyId);

    /// @notice Thrown when an assertion comes from a credential a pending recovery proposed: it can
    /// sign only once the recovery is carried out.
    /// @param keyId The proposed credential's key id.
    error PasskeyAccountsCredentialProposed(bytes32 keyId);

    /// @notice Thrown when an assertion or a revocation names a credential of another account.
    /// @param keyId The credential's key id.
    /// @param account The account the credential belongs to.
    /// @param expected The account the call is for.
    error PasskeyAccountsWrongAccount(bytes32 keyId, address account, address expected);

    /// @notice Thrown by {addCredential} when the account already has {MAX_CREDENTIALS} active credentials.
    /// @param account The account.
    /// @param count Its active credentials.
    error PasskeyAccountsTooManyCredentials(address account, uint256 count);

    /// @notice Thrown by {revokeCredential} for an account's last active credential (it would lock
    /// the account; add another first, or use the recovery).
    /// @param account The account.
    /// @param keyId The credential.
    error PasskeyAccountsLastCredential(address account, bytes32 keyId);

    /// @notice Thrown when a credential change is submitted after its deadline.
    /// @param deadline The change's deadline, already passed.
    error PasskeyAccountsExpired(uint256 deadline);

    /// @notice Thrown when a credential change's nonce is not the account's next one.
    /// @param account The account.
    /// @param nonce The change's nonce.
    /// @param expected The account's next change nonce.
    error PasskeyAccountsInvalidNonce(address account, uint256 nonce, uint256 expected);

    /// @notice Thrown when an assertion's bytes are not the ABI encoding of an {Assertion} (a
    /// dynamic field's offset or length points past the end).
    error PasskeyAccountsMalformedAssertion();

    /// @notice Thrown when an assertion's authenticator data is shorter than the 37 bytes of
    /// relying party hash, flags and counter.
    /// @param length Its length.
    error PasskeyAccountsAuthenticatorDataTooShort(uint256 length);

    /// @notice Thrown when an assertion's flags lack user presence (UP, bit 0).
    /// @param flags The authenticator data's flags byte.
    error PasskeyAccountsUserNotPresent(bytes1 flags);

    /// @notice Thrown when an assertion's flags lack user verification (UV, bit 2: fingerprint, face or PIN).
    /// @param flags The authenticator data's flags byte.
    error PasskeyAccountsUserNotVerified(bytes1 flags);

    /// @notice Thrown when an assertion's flags say backed up (BS, bit 4) but not backup eligible
    /// (BE, bit 3), which no genuine authenticator reports.
    /// @param flags The authenticator data's flags byte.
    error PasskeyAccountsInvalidBackupState(bytes1 flags);

    /// @notice Thrown when the client data does not have `"type":"webauthn.get"` at `typeIndex`
    /// (e.g. a registration's "webauthn.create" data, or a wrong index).
    /// @param typeIndex The index given.
    error PasskeyAccountsWrongClientDataType(uint256 typeIndex);

    /// @notice Thrown when the client data does not carry the expected challenge (base64url, no
    /// padding) at `challengeIndex`: an assertion made for another intent, change, chain or contract.
    /// @param challenge The challenge expected: the digest of the intent or change.
    error PasskeyAccountsWrongChallenge(bytes32 challenge);

    /// @notice Thrown when a signature's r or s is zero or not below the curve order.
    /// @param r Signature r.
    /// @param s Signature s.
    error PasskeyAccountsMalformedSignature(bytes32 r, bytes32 s);

    /// @notice Thrown when a signature's s lies in the upper half of the curve order: (r, n - s)
    /// would be the same signature again, so only the low one is accepted.
    /// @param s Signature s.
    error PasskeyAccountsMalleableSignature(bytes32 s);

    /// @notice Thrown when the P-256 signature does not verify for the credential's key (altered
    /// authenticator or client data, or another key's signature).
    /// @param keyId The credential's key id.
    error PasskeyAccountsInvalidSignature(bytes32 keyId);

    /// @notice Thrown by {proposeRecovery} when the account already has a recovery pending.
    /// @param account The account.
    /// @param readyAt When the pending one may be carried out.
    error PasskeyAccountsRecoveryPending(address account, uint64 readyAt);

    /// @notice Thrown when the account has no recovery pending.
    /// @param account The account.
    error PasskeyAccountsNoRecovery(address account);

    /// @notice Thrown by {executeRecovery} before the delay has passed.
    /// @param account The account.
    /// @param readyAt When it may be carried out.
    error PasskeyAccountsRecoveryNotReady(address account, uint64 readyAt);

    // ─────────────────────────────────────────────────────────── Events

    /// @notice Emitted once, at deployment.
    /// @param council The council that appoints recovery agents and may veto recoveries.
    /// @param recoveryDelay Seconds between a recovery's proposal and when it may be carried out.
    event PasskeyAccountsConfigured(address council, uint64 recoveryDelay);

    /// @notice Emitted when a credential joins an account: at registration (which creates the
    /// account), by {addCredential}, and by {executeRecovery}.
    /// @param account The account.
    /// @param keyId `keccak256(abi.encode(qx, qy))`.
    /// @param qx The public key, x.
    /// @param qy The public key, y.
    /// @param credentialId The WebAuthn credential id, for apps to ask the authenticator for this
    /// credential (at registration and recovery it is what the submitter gave: a hint, not proof).
    /// @param authorisedBy The key id of the credential that signed the addition; zero at
    /// registration and recovery.
    event CredentialAdded(
        address indexed account,
        bytes32 indexed keyId,
        bytes32 qx,
        bytes32 qy,
        bytes credentialId,
        bytes32 indexed authorisedBy
    );

    /// @notice Emitted when a credential stops being able to sign, for good.
    /// @param account The account.
    /// @param keyId The revoked credential.
    /// @param authorisedBy The key id of the credential that signed the revocation; zero when a
    /// recovery revoked it.
    event CredentialRevoked(address indexed account, bytes32 indexed keyId, bytes32 indexed authorisedBy);

    /// @notice Emitted for every assertion this contract accepts: for the ledger's intents (caller:
    /// the ledger) and for credential changes. It carries what an auditor needs to verify the P-256
    /// signature again: `sha256(authenticatorData || sha256(clientDataJSON))` signed by the key of
    /// `keyId`, and `digest` in the client data's challenge.
    /// @param account The account.
    /// @param keyId The credential that signed.
    /// @param caller Who asked for the verification (the ledger, for intents; anyone can call
    /// {authorize}, so an auditor counts only the ledger's).
    /// @param digest The challenge: the intent's EIP-712 digest under the ledger's domain, or the
    /// change's under this contract's.
    /// @param authenticatorData The authenticator data.
    /// @param clientDataJSON The client data JSON.
    /// @param r Signature r.
    /// @param s Signature s.
    event PasskeyAssertionVerified(
        address indexed account,
        bytes32 indexed keyId,
        address indexed caller,
        bytes32 digest,
        bytes authenticatorData,
        string clientDataJSON,
        bytes32 r,
        bytes32 s
    );

    /// @notice Emitted when a recovery agent or the council proposes a replacement credential.
    /// @param account The account to recover.
    /// @param keyId The proposed credential's key id.
    /// @param qx Its public key, x.
    /// @param qy Its public key, y.
    /// @param credentialId Its WebAuthn credential id (a hint, as at registration).
    /// @param proposer The recovery agent or council.
    /// @param readyAt When it may be carried out, unless cancelled first.
    event RecoveryProposed(
        address indexed account,
        bytes32 indexed keyId,
        bytes32 qx,
        bytes32 qy,
        bytes credentialId,
        address proposer,
        uint64 readyAt
    );

    /// @notice Emitted when a pending recovery is cancelled by one of the account's credentials or
    /// vetoed by the council.
    /// @param account The account.
    /// @param keyId The proposed credential that will not be added.
    /// @param byKeyId The credential that cancelled it; zero when the council vetoed it.
    event RecoveryCancelled(address indexed account, bytes32 indexed keyId, bytes32 byKeyId);

    /// @notice Emitted when a recovery is carried out; {CredentialRevoked} for each credential the
    /// account had and {CredentialAdded} for the new one follow in the same transaction.
    /// @param account The account.
    /// @param keyId The new credential.
    event RecoveryExecuted(address indexed account, bytes32 indexed keyId);

    /// @notice Emitted when the council appoints or dismisses a recovery agent.
    /// @param agent The agent.
    /// @param allowed Whether it may now propose recoveries.
    event RecoveryAgentSet(address indexed agent, bool allowed);

    // ─────────────────────────────────────────────────────────── Credentials

    /// @notice Registers a credential as the first of the account its key gives ({accountOf}).
    /// Anyone may submit it. Requires a key on the P-256 curve, never registered before, and a
    /// credential id of 1 to 1,023 bytes. Emits {CredentialAdded}.
    /// @param qx The public key, x.
    /// @param qy The public key, y.
    /// @param credentialId The WebAuthn credential id.
    /// @return account The new account.
    function register(bytes32 qx, bytes32 qy, bytes calldata credentialId) external returns (address account);

    /// @notice Adds a credential (a second phone, a card) to an account, authorised by an assertion
    /// of one of its active credentials over the EIP-712 `AddCredential(address account,bytes32
    /// keyId,bytes32 credentialIdHash,uint256 nonce,uint256 deadline)` of this contract's domain.
    /// Requires the account's next change nonce, a deadline not passed, fewer than
    /// {MAX_CREDENTIALS} active credentials and a new key as {register} does. Emits
    /// {PasskeyAssertionVerified} and {CredentialAdded}.
    /// @param account The account.
    /// @param qx The new public key, x.
    /// @param qy The new public key, y.
    /// @param credentialId The new WebAuthn credential id (its keccak256 is signed).
    /// @param nonce The account's next change nonce ({changeNonce}).
    /// @param deadline Unix seconds after which the change is refused.
    /// @param assertion The ABI-encoded {Assertion} of an active credential of the account.
    function addCredential(
        address account,
        bytes32 qx,
        bytes32 qy,
        bytes calldata credentialId,
        uint256 nonce,
        uint256 deadline,
        bytes calldata assertion
    ) external;

    /// @notice Revokes a credential of an account for good (a lost phone), authorised by an
    /// assertion of one of its active credentials, the revoked one included, over the EIP-712
    /// `RevokeCredential(address account,bytes32 keyId,uint256 nonce,uint256 deadline)`. Requires
    /// the account's next change nonce, a deadline not passed, and an active credential that is not
    /// the account's last. Emits {PasskeyAssertionVerified} and {CredentialRevoked}.
    /// @param account The account.
    /// @param keyId The credential to revoke.
    /// @param nonce The account's next change nonce.
    /// @param deadline Unix seconds after which the change is refused.
    /// @param assertion The ABI-encoded {Assertion} of an active credential of the account.
    function revokeCredential(address account, bytes32 keyId, uint256 nonce, uint256 deadline, bytes calldata assertion)
        external;

    // ─────────────────────────────────────────────────────────── Recovery

    /// @notice Proposes a replacement credential for an account whose resident lost every one; the
    /// key is reserved for the account until the recovery is carried out or cancelled. Requires a
    /// recovery agent or the council, a registered account with no recovery pending, and a new key
    /// as {register} does. Emits {RecoveryProposed}.
    /// @param account The account.
    /// @param qx The replacement's public key, x.
    /// @param qy The replacement's public key, y.
    /// @param credentialId The replacement's WebAuthn credential id.
    function proposeRecovery(address account, bytes32 qx, bytes32 qy, bytes calldata credentialId) external;

    /// @notice Cancels the account's pending recovery, authorised by an assertion of one of its
    /// active credentials over the EIP-712 `CancelRecovery(address account,bytes32 keyId,uint256
    /// nonce,uint256 deadline)`, `keyId` being the proposed credential's. Requires the account's
    /// next change nonce and a deadline not passed. Emits {PasskeyAssertionVerified} and
    /// {RecoveryCancelled}.
    /// @param account The account.
    /// @param nonce The account's next change nonce.
    /// @param deadline Unix seconds after which the cancellation is refused.
    /// @param assertion The ABI-encoded {Assertion} of an active credential of the account.
    function cancelRecovery(address account, uint256 nonce, uint256 deadline, bytes calldata assertion) external;

    /// @notice Cancels an account's pending recovery (a rogue or mistaken proposal). Requires the
    /// council. Emits {RecoveryCancelled}.
    /// @param account The account.
    function vetoRecovery(address account) external;

    /// @notice Carries out the account's pending recovery once its delay has passed: every active
    /// credential is revoked and the proposed one added. Anyone may call it. Emits
    /// {RecoveryExecuted}, {CredentialRevoked} per credential and {CredentialAdded}.
    /// @param account The account.
    function executeRecovery(address account) external;

    /// @notice Appoints or dismisses a recovery agent. Requires the council. Emits {RecoveryAgentSet}.
    /// @param agent The agent (not zero).
    /// @param allowed Whether it may propose recoveries.
    function setRecoveryAgent(address agent, bool allowed) external;

    // ─────────────────────────────────────────────────────────── The ledger's intents

    /// @notice Verifies that `assertion` authorises `digest` for `account`, reverting with the
    /// reason if not. The ledger calls it for every passkey-authorised intent, with the intent's
    /// EIP-712 digest; anyone may call it, and it changes nothing but the log. Emits
    /// {PasskeyAssertionVerified}.
    /// @param account The account the intent spends from.
    /// @param digest The challenge the assertion must carry.
    /// @param assertion The ABI-encoded {Assertion}.
    /// @return keyId The credential that signed.
    function authorize(address account, bytes32 digest, bytes calldata assertion) external returns (bytes32 keyId);

    // ─────────────────────────────────────────────────────────── Views

    /// @notice The account a credential's key creates at registration.
    /// @param qx The public key, x.
    /// @param qy The public key, y.
    /// @return The account identifier (see the contract's notes).
    function accountOf(bytes32 qx, bytes32 qy) external pure returns (address);

    /// @notice A public key's id: `keccak256(abi.encode(qx, qy))`.
    /// @param qx The public key, x.
    /// @param qy The public key, y.
    /// @return The key id.
    function keyIdOf(bytes32 qx, bytes32 qy) external pure returns (bytes32);

    /// @notice A credential's account and status.
    /// @param keyId The key id.
    /// @return Its account (zero if never registered) and status.
    function credential(bytes32 keyId) external view returns (CredentialView memory);

    /// @notice An account's active credentials, in no particular order.
    /// @param account The account.
    /// @return Their key ids (empty for an account never registered).
    function credentialsOf(address account) external view returns (bytes32[] memory);

    /// @notice The nonce the account's next credential change (add, revoke, cancel a recovery) must carry.
    /// @param account The account.
    /// @return The next change nonce.
    function changeNonce(address account) external view returns (uint256);

    /// @notice The account's pending recovery (all zero when none).
    /// @param account The account.
    /// @return The proposed key, its proposer and when it may be carried out.
    function recovery(address account) external view returns (RecoveryView memory);

    /// @notice Whether an address may propose recoveries.
    /// @param agent The address.
    /// @return True if appointed by the council.
    function isRecoveryAgent(address agent) external view returns (bool);

    /// @notice The EIP-712 domain separator credential changes are signed under.
    /// @return The separator for this chain and this contract.
    function DOMAIN_SEPARATOR() external view returns (bytes32); // solhint-disable-line func-name-mixedcase
}
