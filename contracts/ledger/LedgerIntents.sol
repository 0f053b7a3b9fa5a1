// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IPasskeyAccounts} from "../interfaces/IPasskeyAccounts.sol";
import {IPointsLedger} from "../interfaces/IPointsLedger.sol";
import {AgreementId} from "../libraries/AgreementId.sol";
import {IntentHashes} from "../libraries/IntentHashes.sol";
import {LedgerAccounts} from "./LedgerAccounts.sol";
import {LedgerAgreements} from "./LedgerAgreements.sol";

/// @title Ledger intents and partners
/// @notice Residents act by signing EIP-712 intents that anyone (in practice the relay) submits, so
/// a resident never needs gas: exchanges, redemptions at a domain's partners (registered here by its
/// agency) and transfers. Each is authorised by the resident's ECDSA signature or, for a passkey
/// account, by a WebAuthn assertion over the same EIP-712 digest, which
/// {PASSKEY_ACCOUNTS_REGISTRY} verifies.
/// @dev Nonces are sequential per resident and domain spent from (as ERC20Permit's per owner), and
/// live in the resident's account slot beside the balance they guard. OpenZeppelin 5 also ships
/// ERC-2771 (`ERC2771Context` with `ERC2771Forwarder`), which would carry residents' calls through a
/// trusted forwarder; the ledger verifies intents itself instead, by design: each intent type states
/// one operation with its own limits (`minAmountOut`, the partner, the order reference), its nonce
/// costs no slot of its own, and no forwarder contract has to be trusted.
abstract contract LedgerIntents is LedgerAgreements, LedgerAccounts, EIP712 {
    using IntentHashes for ExchangeIntent;
    using IntentHashes for RedeemIntent;
    using IntentHashes for TransferIntent;

    // ─────────────────────────────────────────────────────────── Constants

    /// @notice The registry of passkey accounts, which verifies their intents' assertions.
    IPasskeyAccounts public immutable PASSKEY_ACCOUNTS_REGISTRY;

    // ─────────────────────────────────────────────────────────── Storage

    mapping(uint32 domainId => mapping(address partner => bool)) private _partners;
    /// @dev The non-zero order references each partner was paid for, in any domain: one fresh slot
    /// per paid order, set once and never cleared, so a second payment of an order reverts.
    mapping(address partner => mapping(bytes32 orderRef => bool)) private _paidOrders;

    // ─────────────────────────────────────────────────────────── Constructor

    /// @notice Sets the EIP-712 domain and the registry of passkey accounts.
    /// @param passkeyAccounts The registry of passkey accounts (not zero).
    constructor(IPasskeyAccounts passkeyAccounts) EIP712("CityPointsLedger", "1") {
        if (address(passkeyAccounts) == address(0)) revert PointsLedgerInvalidAddress(address(passkeyAccounts));
        PASSKEY_ACCOUNTS_REGISTRY = passkeyAccounts;
    }

    // ─────────────────────────────────────────────────────────── External

    /// @inheritdoc IPointsLedger
    function exchange(ExchangeIntent calldata intent, uint8 v, bytes32 r, bytes32 s)
        external
        returns (uint256 amountOut)
    {
        address resident = intent.resident;
        _verifyIntent(intent.hash(), resident, intent.deadline, v, r, s);
        return _exchange(intent, resident);
    }

    /// @inheritdoc IPointsLedger
    function exchangeByPasskey(ExchangeIntent calldata intent, bytes calldata assertion)
        external
        returns (uint256 amountOut)
    {
        address resident = intent.resident;
        _verifyPasskeyIntent(intent.hash(), resident, intent.deadline, assertion);
        return _exchange(intent, resident);
    }

    /// @inheritdoc IPointsLedger
    function redeem(RedeemIntent calldata intent, uint8 v, bytes32 r, bytes32 s) external {
        address resident = intent.resident;
        _verifyIntent(intent.hash(), resident, intent.deadline, v, r, s);
        _redeem(intent, resident);
    }

    /// @inheritdoc IPointsLedger
    function redeemByPasskey(RedeemIntent calldata intent, bytes calldata assertion) external {
        address resident = intent.resident;
        _verifyPasskeyIntent(intent.hash(), resident, intent.deadline, assertion);
        _redeem(intent, resident);
    }

    /// @inheritdoc IPointsLedger
    function transfer(TransferIntent calldata intent, uint8 v, bytes32 r, bytes32 s) external {
        address resident = intent.resident;
        _verifyIntent(intent.hash(), resident, intent.deadline, v, r, s);
        _transfer(intent, resident);
    }

    /// @inheritdoc IPointsLedger
    function transferByPasskey(TransferIntent calldata intent, bytes calldata assertion) external {
        address resident = intent.resident;
        _verifyPasskeyIntent(intent.hash(), resident, intent.deadline, assertion);
        _transfer(intent, resident);
    }

    /// @inheritdoc IPointsLedger
    function setPartner(uint32 domainId, address partner, bool allowed) external {
        _activeDomain(domainId);
        _requireAgency(domainId);
        if (partner == address(0)) revert PointsLedgerInvalidAddress(partner);
        _partners[domainId][partner] = allowed;
        emit PartnerSet(domainId, partner, allowed);
    }

    // ─────────────────────────────────────────────────────────── Views

    /// @inheritdoc IPointsLedger
    function isPartner(uint32 domainId, address partner) external view returns (bool) {
        return _partners[domainId][partner];
    }

    /// @notice The EIP-712 domain separator residents sign under.
    /// @return The separator for this chain and this ledger.
    function DOMAIN_SEPARATOR() external view returns (bytes32) { // solhint-disable-line func-name-mixedcase
        return _domainSeparatorV4();
    }

    // ─────────────────────────────────────────────────────────── Private

    /// @dev An authorised exchange: the agreement in force, the resident's nonce and balance.
    function _exchange(ExchangeIntent calldata intent, address resident) private returns (uint256 amountOut) {
        uint32 fromDomain = intent.fromDomain;
        uint32 toDomain = intent.toDomain;
        if (fromDomain == toDomain) revert PointsLedgerSameDomain(fromDomain);
        uint256 amountIn = intent.amountIn;
        _requireAmount(amountIn);
        DomainLedger storage source = _activeDomain(fromDomain);
        DomainLedger storage destination = _activeDomain(toDomain);
        uint32 period = _currentPeriod();
        AgreementId agreementId;
        uint16 version;
        (agreementId, version, amountOut) = _recordExchange(
            fromDomain, toDomain, period, amountIn, intent.minAmountOut, _pointValue(destination)
        );
        _spend(fromDomain, resident, amountIn, intent.nonce);
        _credit(toDomain, resident, amountOut);
        _exchangeSupply(source, destination, amountIn, amountOut);
        emit PointsExchanged(resident, agreementId, version, amountIn, amountOut, period, intent.nonce);
    }

    /// @dev An authorised redemption at a partner of the domain, for an order not paid before.
    function _redeem(RedeemIntent calldata intent, address resident) private {
        uint32 domainId = intent.domainId;
        uint256 amount = intent.amount;
        _requireAmount(amount);
        DomainLedger storage d = _activeDomain(domainId);
        address partner = intent.partner;
        if (!_partners[domainId][partner]) revert PointsLedgerUnknownPartner(domainId, partner);
        _spend(domainId, resident, amount, intent.nonce);
        // After the nonce: a replayed intent still reports its spent nonce.
        bytes32 orderRef = intent.orderRef;
        if (orderRef != bytes32(0)) {
            if (_paidOrders[partner][orderRef]) revert PointsLedgerOrderAlreadyPaid(partner, orderRef);
            _paidOrders[partner][orderRef] = true;
        }
        _decreaseSupply(d, amount);
        emit PointsRedeemed(domainId, resident, partner, amount, orderRef, intent.nonce);
    }

    /// @dev An authorised transfer to another resident of a transferable domain.
    function _transfer(TransferIntent calldata intent, address resident) private {
        uint32 domainId = intent.domainId;
        uint256 amount = intent.amount;
        _requireAmount(amount);
        if (!_isTransferable(_activeDomain(domainId))) revert PointsLedgerNotTransferable(domainId);
        address to = intent.to;
        if (to == address(0) || to == resident) revert PointsLedgerInvalidAddress(to);
        _spend(domainId, resident, amount, intent.nonce);
        _credit(domainId, to, amount);
        emit PointsTransferred(domainId, resident, to, amount, intent.nonce);
    }

    /// @dev Checks the deadline and the signer; the caller spends the nonce with the balance. A
    /// signature made for another chain or contract recovers to another address and fails as a wrong
    /// signer; a malleable (high-s) or malformed signature fails in ECDSA with its own error.
    function _verifyIntent(bytes32 structHash, address resident, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        private
        view
    {
        if (block.timestamp > deadline) revert PointsLedgerExpiredSignature(deadline);
        address signer = ECDSA.recover(_hashTypedDataV4(structHash), v, r, s);
        if (signer != resident) revert PointsLedgerInvalidSigner(signer, resident);
    }

    /// @dev As {_verifyIntent}, for a passkey account: the registry reverts with its own error
    /// unless an active credential of `resident` signed the intent's digest.
    function _verifyPasskeyIntent(bytes32 structHash, address resident, uint256 deadline, bytes calldata assertion)
        private
    {
        if (block.timestamp > deadline) revert PointsLedgerExpiredSignature(deadline);
        PASSKEY_ACCOUNTS_REGISTRY.authorize(resident, _hashTypedDataV4(structHash), assertion);
    }
}
