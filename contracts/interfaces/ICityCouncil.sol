// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title City council
/// @notice The agencies together. A call on the ledger that no single agency may make (admitting a
/// domain or an issuer, quotas, caps, lifting a pause) is proposed by one member and carried out
/// only after `threshold` members approved it.
interface ICityCouncil {
    /// @notice A proposal as returned by {proposal}.
    struct ProposalView {
        address target;
        bytes data;
        bytes32 descriptionHash;
        address proposer;
        uint32 approvals;
        bool executed;
    }

    /// @param account The caller that is not a member.
    error CityCouncilNotMember(address account);
    /// @param account The address that already is a member.
    error CityCouncilAlreadyMember(address account);
    /// @param account The rejected member address (zero).
    error CityCouncilInvalidMember(address account);
    /// @param threshold The rejected threshold.
    /// @param members The number of members.
    error CityCouncilInvalidThreshold(uint256 threshold, uint256 members);
    /// @param proposalId The proposal that does not exist.
    error CityCouncilUnknownProposal(uint256 proposalId);
    /// @param proposalId The proposal.
    /// @param member The member who already approved it.
    error CityCouncilAlreadyApproved(uint256 proposalId, address member);
    /// @param proposalId The proposal.
    /// @param member The member who had not approved it.
    error CityCouncilNotApproved(uint256 proposalId, address member);
    /// @param proposalId The proposal already carried out.
    error CityCouncilAlreadyExecuted(uint256 proposalId);
    /// @param proposalId The proposal.
    /// @param approvals Approvals so far.
    /// @param threshold Approvals needed.
    error CityCouncilNotEnoughApprovals(uint256 proposalId, uint256 approvals, uint256 threshold);
    /// @param proposalId The proposal whose call reverted.
    /// @param reason The revert data of the call.
    error CityCouncilCallFailed(uint256 proposalId, bytes reason);
    /// @param account The caller; membership changes must come through a proposal.
    error CityCouncilOnlySelf(address account);
    /// @param target The rejected call target (zero, or without code).
    error CityCouncilInvalidTarget(address target);

    /// @param proposalId The new proposal.
    /// @param proposer The member who proposed it.
    /// @param target The contract to call.
    /// @param data The call.
    /// @param descriptionHash Hash of the human description (kept off chain).
    event ProposalCreated(
        uint256 indexed proposalId, address indexed proposer, address target, bytes data, bytes32 descriptionHash
    );
    /// @param proposalId The proposal.
    /// @param member The approving member.
    /// @param approvals Approvals so far.
    event ProposalApproved(uint256 indexed proposalId, address indexed member, uint256 approvals);
    /// @param proposalId The proposal.
    /// @param member The member withdrawing the approval.
    /// @param approvals Approvals left.
    event ProposalApprovalRevoked(uint256 indexed proposalId, address indexed member, uint256 approvals);
    /// @param proposalId The proposal carried out.
    /// @param executor The member who carried it out.
    event ProposalExecuted(uint256 indexed proposalId, address indexed executor);
    /// @param member The member added.
    event MemberAdded(address indexed member);
    /// @param member The member removed.
    event MemberRemoved(address indexed member);
    /// @param threshold The new number of approvals needed.
    event ThresholdChanged(uint256 threshold);

    /// @notice Proposes a call and approves it as the proposer. Requires a member. Emits
    /// {ProposalCreated} and {ProposalApproved}.
    function propose(address target, bytes calldata data, bytes32 descriptionHash)
        external
        returns (uint256 proposalId);

    /// @notice Approves a proposal. Requires a member who has not approved it. Emits {ProposalApproved}.
    function approve(uint256 proposalId) external;

    /// @notice Withdraws the caller's approval of a proposal not yet carried out.
    /// Emits {ProposalApprovalRevoked}.
    function revokeApproval(uint256 proposalId) external;

    /// @notice Carries out a proposal with at least `threshold` approvals from current members.
    /// Requires a member. Emits {ProposalExecuted}; reverts with {CityCouncilCallFailed} if the call does.
    function execute(uint256 proposalId) external returns (bytes memory result);

    /// @notice Adds a member. Only through a proposal. Emits {MemberAdded}.
    function addMember(address member) external;

    /// @notice Removes a member. Only through a proposal. Emits {MemberRemoved}.
    function removeMember(address member) external;

    /// @notice Changes the number of approvals needed (at least 2, at most the members).
    /// Only through a proposal. Emits {ThresholdChanged}.
    function setThreshold(uint256 threshold) external;

    /// @notice Whether an address is a member.
    function isMember(address account) external view returns (bool);

    /// @notice The members.
    function members() external view returns (address[] memory);

    /// @notice Approvals needed to carry out a proposal.
    function threshold() external view returns (uint256);

    /// @notice The number of proposals ever made; ids run from 1 to this.
    function proposalCount() external view returns (uint256);

    /// @notice A proposal.
    function proposal(uint256 proposalId) external view returns (ProposalView memory);

    /// @notice Whether a member approved a proposal.
    function hasApproved(uint256 proposalId, address member) external view returns (bool);
}
