// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ICityCouncil} from "./interfaces/ICityCouncil.sol";

/// @title City council
/// @notice See {ICityCouncil}. Approvals are counted among current members when a proposal is
/// carried out, so a removed member's approvals stop counting.
contract CityCouncil is ICityCouncil {
    /// @notice Most members; bounds the approval count loop.
    uint256 public constant MAX_MEMBERS = 32;

    struct Proposal {
        address target;
        bool executed;
        address proposer;
        bytes32 descriptionHash;
        bytes data;
    }

    address[] private _members;
    mapping(address account => bool) private _isMember;
    uint256 private _threshold;
    Proposal[] private _proposals;
    mapping(uint256 proposalId => mapping(address member => bool)) private _approved;

    modifier onlyMember() {
        if (!_isMember[msg.sender]) revert CityCouncilNotMember(msg.sender);
        _;
    }

    modifier onlySelf() {
        if (msg.sender != address(this)) revert CityCouncilOnlySelf(msg.sender);
        _;
    }

    /// @notice Creates the council with its first members and threshold.
    /// @param initialMembers The agencies' council addresses.
    /// @param initialThreshold Approvals needed: at least 2, at most the number of members.
    constructor(address[] memory initialMembers, uint256 initialThreshold) {
        for (uint256 i; i < initialMembers.length; ++i) {
            _addMember(initialMembers[i]);
        }
        _setThreshold(initialThreshold);
    }

    // ─────────────────────────────────────────────────────────── External

    /// @inheritdoc ICityCouncil
    function propose(address target, bytes calldata data, bytes32 descriptionHash)
        external
        onlyMember
        returns (uint256 proposalId)
    {
        if (target.code.length == 0) revert CityCouncilInvalidTarget(target);
        _proposals.push(
            Proposal({
                target: target,
                executed: false,
                proposer: msg.sender,
                descriptionHash: descriptionHash,
                data: data
            })
        );
        proposalId = _proposals.length;
        emit ProposalCreated(proposalId, msg.sender, target, data, descriptionHash);
        _approve(proposalId);
    }

    /// @inheritdoc ICityCouncil
    function approve(uint256 proposalId) external onlyMember {
        _openProposal(proposalId);
        _approve(proposalId);
    }

    /// @inheritdoc ICityCouncil
    function revokeApproval(uint256 proposalId) external onlyMember {
        _openProposal(proposalId);
        if (!_approved[proposalId][msg.sender]) revert CityCouncilNotApproved(proposalId, msg.sender);
        _approved[proposalId][msg.sender] = false;
        emit ProposalApprovalRevoked(proposalId, msg.sender, _approvals(proposalId));
    }

    /// @inheritdoc ICityCouncil
    function execute(uint256 proposalId) external onlyMember returns (bytes memory result) {
        Proposal storage p = _openProposal(proposalId);
        uint256 approvals = _approvals(proposalId);
        if (approvals < _threshold) revert CityCouncilNotEnoughApprovals(proposalId, approvals, _threshold);
        // Marked before the call, so the call cannot re-enter and carry the proposal out twice.
        p.executed = true;
        bool ok;
        (ok, result) = p.target.call(p.data);
        if (!ok) revert CityCouncilCallFailed(proposalId, result);
        emit ProposalExecuted(proposalId, msg.sender);
    }

    /// @inheritdoc ICityCouncil
    function addMember(address member) external onlySelf {
        _addMember(member);
    }

    /// @inheritdoc ICityCouncil
    function removeMember(address member) external onlySelf {
        if (!_isMember[member]) revert CityCouncilNotMember(member);
        if (_members.length - 1 < _threshold) revert CityCouncilInvalidThreshold(_threshold, _members.length - 1);
        _isMember[member] = false;
        uint256 last = _members.length - 1;
        for (uint256 i; i <= last; ++i) {
            if (_members[i] == member) {
                _members[i] = _members[last];
                _members.pop();
                break;
            }
        }
        emit MemberRemoved(member);
    }

    /// @inheritdoc ICityCouncil
    function setThreshold(uint256 newThreshold) external onlySelf {
        _setThreshold(newThreshold);
    }

    // ─────────────────────────────────────────────────────────── Views

    /// @inheritdoc ICityCouncil
    function isMember(address account) external view returns (bool) {
        return _isMember[account];
    }

    /// @inheritdoc ICityCouncil
    function members() external view returns (address[] memory) {
        return _members;
    }

    /// @inheritdoc ICityCouncil
    function threshold() external view returns (uint256) {
        return _threshold;
    }

    /// @inheritdoc ICityCouncil
    function proposalCount() external view returns (uint256) {
        return _proposals.length;
    }

    /// @inheritdoc ICityCouncil
    function proposal(uint256 proposalId) external view returns (ProposalView memory) {
        Proposal storage p = _proposal(proposalId);
        return ProposalView({
            target: p.target,
            data: p.data,
            descriptionHash: p.descriptionHash,
            proposer: p.proposer,
            approvals: uint32(_approvals(proposalId)),
            executed: p.executed
        });
    }

    /// @inheritdoc ICityCouncil
    function hasApproved(uint256 proposalId, address member) external view returns (bool) {
        return _approved[proposalId][member];
    }

    // ─────────────────────────────────────────────────────────── Private

    function _approve(uint256 proposalId) private {
        if (_approved[proposalId][msg.sender]) revert CityCouncilAlreadyApproved(proposalId, msg.sender);
        _approved[proposalId][msg.sender] = true;
        emit ProposalApproved(proposalId, msg.sender, _approvals(proposalId));
    }

    function _approvals(uint256 proposalId) private view returns (uint256 count) {
        uint256 n = _members.length;
        for (uint256 i; i < n; ++i) {
            if (_approved[proposalId][_members[i]]) ++count;
        }
    }

    function _proposal(uint256 proposalId) private view returns (Proposal storage) {
        if (proposalId == 0 || proposalId > _proposals.length) revert CityCouncilUnknownProposal(proposalId);
        return _proposals[proposalId - 1];
    }

    function _openProposal(uint256 proposalId) private view returns (Proposal storage p) {
        p = _proposal(proposalId);
        if (p.executed) revert CityCouncilAlreadyExecuted(proposalId);
    }

    function _addMember(address member) private {
        if (member == address(0)) revert CityCouncilInvalidMember(member);
        if (_isMember[member]) revert CityCouncilAlreadyMember(member);
        if (_members.length >= MAX_MEMBERS) revert CityCouncilInvalidMember(member);
        _isMember[member] = true;
        _members.push(member);
        emit MemberAdded(member);
    }

    function _setThreshold(uint256 newThreshold) private {
        // More than one agency must agree; a threshold above the members could never be met.
        if (newThreshold < 2 || newThreshold > _members.length) {
            revert CityCouncilInvalidThreshold(newThreshold, _members.length);
        }
        _threshold = newThreshold;
        emit ThresholdChanged(newThreshold);
    }
}
