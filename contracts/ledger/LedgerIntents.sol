// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IPointsLedger} from "../interfaces/IPointsLedger.sol";
import {IntentHashes} from "../libraries/IntentHashes.sol";
import {LedgerAgreements} from "./LedgerAgreements.sol";

/// @dev Residents act by signing EIP-712 intents that anyone (in practice the relay) submits, so a
/// resident never needs gas. Nonces are sequential per resident and domain spent from (as
/// ERC20Permit's per owner), and live in the resident's account slot beside the balance they guard.
/// OpenZeppelin dropped ERC-2771 forwarding, so the ledger verifies the intents itself.
abstract contract LedgerIntents is LedgerAgreements, EIP712 {
    using IntentHashes for ExchangeIntent;
    using IntentHashes for RedeemIntent;
    using IntentHashes for TransferIntent;

    constructor() EIP712("CityPointsLedger", "1") {}

    // ─────────────────────────────────────────────────────────── External

    /// @inheritdoc IPointsLedger
    function exchange(ExchangeIntent calldata intent, uint8 v, bytes32 r, bytes32 s)
        external
        returns (uint256 amountOut)
    {
        address resident = intent.resident;
        _verifyIntent(intent.hash(), resident, intent.deadline, v, r, s);
        uint32 fromDomain = intent.fromDomain;
        uint32 toDomain = intent.toDomain;
        if (fromDomain == toDomain) revert PointsLedgerSameDomain(fromDomain);
        uint256 amountIn = intent.amountIn;
        _requireAmount(amountIn);
        DomainLedger storage source = _activeDomain(fromDomain);
        DomainLedger storage destination = _activeDomain(toDomain);
        uint32 period = _currentPeriod();
        (uint64 agreementId, AgreementTerms memory terms) = _termsInForce(fromDomain, toDomain, period);

        amountOut = _convert(amountIn, terms);
        if (amountOut == 0) revert PointsLedgerExchangeTooSmall(amountIn);
        if (amountOut > MAX_AMOUNT) revert PointsLedgerAmountTooLarge(amountOut);
        if (amountOut < intent.minAmountOut) revert PointsLedgerSlippage(amountOut, intent.minAmountOut);

        // Cap use and the value owed to the destination's agency share one slot per agreement and period.
        Usage storage usage = _usage[agreementId][period];
        uint256 usedIn = usage.amountIn + amountIn;
        uint256 cap = terms.periodCap;
        if (cap != 0 && usedIn > cap) {
            // A version with a lower cap may find this period's use already above it.
            uint256 used = usage.amountIn;
            revert PointsLedgerAgreementCapExceeded(agreementId, amountIn, cap > used ? cap - used : 0);
        }
        // Cannot overflow in practice: amountOut <= 2^64 and pointValue < 2^40; the uint128 sum is checked.
        _usage[agreementId][period] =
            Usage({amountIn: uint128(usedIn), owed: usage.owed + uint128(amountOut * destination.pointValue)});

        _debitIntent(fromDomain, resident, amountIn, intent.nonce);
        // Cannot underflow: the supply is the sum of balances, and the balance covered amountIn.
        unchecked {
            source.supply -= uint128(amountIn);
        }
        _credit(toDomain, resident, amountOut);
        destination.supply += uint128(amountOut);
        emit PointsExchanged(resident, agreementId, terms.version, amountIn, amountOut, period, intent.nonce);
    }

    /// @inheritdoc IPointsLedger
    function redeem(RedeemIntent calldata intent, uint8 v, bytes32 r, bytes32 s) external {
        address resident = intent.resident;
        _verifyIntent(intent.hash(), resident, intent.deadline, v, r, s);
        uint32 domainId = intent.domainId;
        uint256 amount = intent.amount;
        _requireAmount(amount);
        DomainLedger storage d = _activeDomain(domainId);
        if (!_partners[domainId][intent.partner]) revert PointsLedgerUnknownPartner(domainId, intent.partner);
        _debitIntent(domainId, resident, amount, intent.nonce);
        // Cannot underflow: the supply is the sum of balances, and the balance covered amount.
        unchecked {
            d.supply -= uint128(amount);
        }
        emit PointsRedeemed(domainId, resident, intent.partner, amount, intent.orderRef, intent.nonce);
    }

    /// @inheritdoc IPointsLedger
    function transfer(TransferIntent calldata intent, uint8 v, bytes32 r, bytes32 s) external {
        address resident = intent.resident;
        _verifyIntent(intent.hash(), resident, intent.deadline, v, r, s);
        uint32 domainId = intent.domainId;
        uint256 amount = intent.amount;
        _requireAmount(amount);
        if (_activeDomain(domainId).flags & TRANSFERABLE == 0) revert PointsLedgerNotTransferable(domainId);
        address to = intent.to;
        if (to == address(0) || to == resident) revert PointsLedgerInvalidAddress(to);
        _debitIntent(domainId, resident, amount, intent.nonce);
        _credit(domainId, to, amount);
        emit PointsTransferred(domainId, resident, to, amount, intent.nonce);
    }

    /// @inheritdoc IPointsLedger
    function setPartner(uint32 domainId, address partner, bool allowed) external {
        _requireNotPaused();
        _existingDomain(domainId);
        _requireAgency(domainId);
        if (partner == address(0)) revert PointsLedgerInvalidAddress(partner);
        _partners[domainId][partner] = allowed;
        emit PartnerSet(domainId, partner, allowed);
    }

    // ─────────────────────────────────────────────────────────── Views

    /// @inheritdoc IPointsLedger
    function nonces(address resident, uint32 domainId) external view returns (uint256) {
        return _accounts[domainId][resident].nonce;
    }

    /// @inheritdoc IPointsLedger
    function isPartner(uint32 domainId, address partner) external view returns (bool) {
        return _partners[domainId][partner];
    }

    /// @notice The EIP-712 domain separator residents sign under.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ─────────────────────────────────────────────────────────── Private

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
}
