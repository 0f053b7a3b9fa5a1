// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ICityCouncil} from "./interfaces/ICityCouncil.sol";

/// @title City council
/// @notice See {ICityCouncil}. Approvals are counted among current members when a proposal is
/// carried out, and each approval is recorded with the admission of the member who gave it, so a
/// removed member's approvals stop counting for good: admitted again, it starts afresh.
contract CityCouncil is ICityCouncil {
    /// @notice Most members; bounds the approval count loop.
    uint256 public constant MAX_MEMBERS = 32;
    /// @notice Shortest proposal lifetime the council may set.
    uint256 public constant MIN_PROPOSAL_LIFETIME = 1 hours;
    /// @notice Longest proposal lifetime the council may set.
    uint256 public constant MAX_PROPOSAL_LIFETIME = 90 days;
    /// @notice Proposal lifetime at deployment.
    uint256 public constant DEFAULT_PROPOSAL_LIFETIME = 7 days;

    /// @dev `target`, `executed` and `expiresAt` share one slot.
    struct Proposal {
        address target;
        bool executed;
        uint64 expiresAt;
        address proposer;
        bytes32 descriptionHash;
        bytes data;
    }

    /// @dev `admission` counts the times the address was admitted (1 from its first admission on);
    /// an approval counts only if it was given under the current one.
    struct Membership {
        bool active;
        uint32 admission;
    }

    address[] private _members;
    mapping(address account => Membership) private _memberships;
    uint256 private _threshold;
    uint256 private _proposalLifetime;
    Proposal[] private _proposals;
    /// @dev The approver's admission when it approved; 0 for none (or withdrawn).
    mapping(uint256 proposalId => mapping(address member => uint32 admission)) private _approvals;

    modifier onlyMember() {
        if (!_memberships[msg.sender].active) revert CityCouncilNotMember(msg.sender);
        _;
    }

    modifier onlySelf() {
        if (msg.sender != address(this)) revert CityCouncilOnlySelf(msg.sender);
        _;
    }

    /// @notice Creates the council with its first members and threshold; proposals live
    /// {DEFAULT_PROPOSAL_LIFETIME} until the council changes it.
    /// @param initialMembers The agencies' council addresses.
    /// @param initialThreshold Approvals needed: at least 2, at most the number of members.
    constructor(address[] memory initialMembers, uint256 initialThreshold) {
        for (uint256 i; i < initialMembers.length; ++i) {
            _addMember(initialMembers[i]);
        }
        _setThreshold(initialThreshold);
        _setProposalLifetime(DEFAULT_PROPOSAL_LIFETIME);
    }

    // ─────────────────────────────────────────────────────────── External

    /// @inheritdoc ICityCouncil
    function propose(address target, bytes calldata data, bytes32 descriptionHash)
        external
        onlyMember
        returns (uint256 proposalId)
    {
        if (target.code.length == 0) revert CityCouncilInvalidTarget(target);
        // Cannot overflow: the lifetime is at most 90 days.
        uint64 expiresAt = uint64(block.timestamp + _proposalLifetime);
        _proposals.push(
            Proposal({
                target: target,
                executed: false,
                expiresAt: expiresAt,
                proposer: msg.sender,
                descriptionHash: descriptionHash,
                data: data
            })
        );
        proposalId = _proposals.length;
        emit ProposalCreated(proposalId, msg.sender, target, data, descriptionHash, expiresAt);
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
        if (!_counts(proposalId, msg.sender)) revert CityCouncilNotApproved(proposalId, msg.sender);
        _approvals[proposalId][msg.sender] = 0;
        emit ProposalApprovalRevoked(proposalId, msg.sender, _approvalCount(proposalId));
    }

    /// @inheritdoc ICityCouncil
    function execute(uint256 proposalId) external onlyMember returns (bytes memory result) {
        Proposal storage p = _openProposal(proposalId);
        uint256 approvals = _approvalCount(proposalId);
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
        if (!_memberships[member].active) revert CityCouncilNotMember(member);
        if (_members.length - 1 < _threshold) revert CityCouncilInvalidThreshold(_threshold, _members.length - 1);
        _memberships[member].active = false;
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

    /// @inheritdoc ICityCouncil
    function setProposalLifetime(uint256 lifetime) external onlySelf {
        _setProposalLifetime(lifetime);
    }

    // ─────────────────────────────────────────────────────────── Views

    /// @inheritdoc ICityCouncil
    function isMember(address account) external view returns (bool) {
        return _memberships[account].active;
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
    function proposalLifetime() external view returns (uint256) {
        return _proposalLifetime;
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
            approvals: uint32(_approvalCount(proposalId)),
            executed: p.executed,
            expiresAt: p.expiresAt
        });
    }

    /// @inheritdoc ICityCouncil
    function hasApproved(uint256 proposalId, address member) external view returns (bool) {
        return _counts(proposalId, member);
    }

    // ─────────────────────────────────────────────────────────── Private

    function _approve(uint256 proposalId) private {
        if (_counts(proposalId, msg.sender)) revert CityCouncilAlreadyApproved(proposalId, msg.sender);
        _approvals[proposalId][msg.sender] = _memberships[msg.sender].admission;
        emit ProposalApproved(proposalId, msg.sender, _approvalCount(proposalId));
    }

    /// @dev Whether `member`'s approval of the proposal counts: it is a member and approved under its
    /// current admission.
    function _counts(uint256 proposalId, address member) private view returns (bool) {
        Membership storage m = _memberships[member];
        return m.active && _approvals[proposalId][member] == m.admission;
    }

    function _approvalCount(uint256 proposalId) private view returns (uint256 count) {
        uint256 n = _members.length;
        for (uint256 i; i < n; ++i) {
            address member = _members[i];
            if (_approvals[proposalId][member] == _memberships[member].admission) ++count;
        }
    }

    function _proposal(uint256 proposalId) private view returns (Proposal storage) {
        if (proposalId == 0 || proposalId > _proposals.length) revert CityCouncilUnknownProposal(proposalId);
        return _proposals[proposalId - 1];
    }

    /// @dev The proposal, if it is neither carried out nor expired.
    function _openProposal(uint256 proposalId) private view returns (Proposal storage p) {
        p = _proposal(proposalId);
        if (p.executed) revert CityCouncilAlreadyExecuted(proposalId);
        if (block.timestamp > p.expiresAt) revert CityCouncilProposalExpired(proposalId, p.expiresAt);
    }

    function _addMember(address member) private {
        if (member == address(0)) revert CityCouncilInvalidMember(member);
        Membership storage m = _memberships[member];
        if (m.active) revert CityCouncilAlreadyMember(member);
        if (_members.length >= MAX_MEMBERS) revert CityCouncilInvalidMember(member);
        m.active = true;
        ++m.admission;
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

    function _setProposalLifetime(uint256 lifetime) private {
        if (lifetime < MIN_PROPOSAL_LIFETIME || lifetime > MAX_PROPOSAL_LIFETIME) {
            revert CityCouncilInvalidLifetime(lifetime, MIN_PROPOSAL_LIFETIME, MAX_PROPOSAL_LIFETIME);
        }
        _proposalLifetime = lifetime;
        emit ProposalLifetimeChanged(lifetime);
    }
}
