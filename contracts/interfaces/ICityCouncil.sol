// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title City council
/// @notice The agencies together. A call on the ledger that no single agency may make (admitting a
/// domain or an issuer, quotas, caps, lifting a pause) is proposed by one member and carried out
/// only after `threshold` members approved it, before the proposal expires. Its events are enough to
/// rebuild its membership, threshold, proposal lifetime, every proposal with its call, and every
/// approval, withdrawal and execution.
interface ICityCouncil {
    /// @notice A proposal as returned by {proposal}.
    struct ProposalView {
        address target;
        bytes data;
        bytes32 descriptionHash;
        address proposer;
        uint32 approvals;
        bool executed;
        uint64 expiresAt;
    }

    /// @notice Thrown when a member-only call comes from a non-member, and by {removeMember} for a non-member.
    /// @param account The address that is not a member.
    error CityCouncilNotMember(address account);

    /// @notice Thrown by {addMember} when the address already is a member.
    /// @param account The member.
    error CityCouncilAlreadyMember(address account);

    /// @notice Thrown when a new member's address is zero, or the council already has {MAX_MEMBERS}.
    /// @param account The rejected address.
    error CityCouncilInvalidMember(address account);

    /// @notice Thrown when the threshold would be below 2 or above the number of members (also by
    /// {removeMember} when the members left could not meet it).
    /// @param threshold The threshold.
    /// @param members The number of members it would apply to.
    error CityCouncilInvalidThreshold(uint256 threshold, uint256 members);

    /// @notice Thrown when a proposal id names no proposal.
    /// @param proposalId The id.
    error CityCouncilUnknownProposal(uint256 proposalId);

    /// @notice Thrown when a member approves a proposal a second time.
    /// @param proposalId The proposal.
    /// @param member The member who already approved it.
    error CityCouncilAlreadyApproved(uint256 proposalId, address member);

    /// @notice Thrown by {revokeApproval} when the member had not approved the proposal.
    /// @param proposalId The proposal.
    /// @param member The member.
    error CityCouncilNotApproved(uint256 proposalId, address member);

    /// @notice Thrown when a proposal already carried out is approved, revoked or executed.
    /// @param proposalId The proposal.
    error CityCouncilAlreadyExecuted(uint256 proposalId);

    /// @notice Thrown by {execute} when fewer current members than the threshold approved the proposal.
    /// @param proposalId The proposal.
    /// @param approvals Approvals of current members.
    /// @param threshold Approvals needed.
    error CityCouncilNotEnoughApprovals(uint256 proposalId, uint256 approvals, uint256 threshold);

    /// @notice Thrown by {execute} when the proposed call reverts; carries the call's own revert data.
    /// @param proposalId The proposal.
    /// @param reason The revert data of the call.
    error CityCouncilCallFailed(uint256 proposalId, bytes reason);

    /// @notice Thrown when a membership or threshold change does not come from the council itself
    /// (through an executed proposal).
    /// @param account The caller.
    error CityCouncilOnlySelf(address account);

    /// @notice Thrown by {propose} when the target has no code.
    /// @param target The rejected target.
    error CityCouncilInvalidTarget(address target);

    /// @notice Thrown when a proposal is approved, its approval withdrawn or it is executed after it
    /// expired.
    /// @param proposalId The proposal.
    /// @param expiresAt The last second (block timestamp) it could be carried out.
    error CityCouncilProposalExpired(uint256 proposalId, uint256 expiresAt);

    /// @notice Thrown by {setProposalLifetime} when the lifetime is outside the allowed bounds.
    /// @param lifetime The rejected lifetime, in seconds.
    /// @param min The shortest allowed.
    /// @param max The longest allowed.
    error CityCouncilInvalidLifetime(uint256 lifetime, uint256 min, uint256 max);

    /// @notice Emitted when a member proposes a call.
    /// @param proposalId The new proposal.
    /// @param proposer The member who proposed it.
    /// @param target The contract to call.
    /// @param data The call.
    /// @param descriptionHash Hash of the human description (kept off chain).
    /// @param expiresAt The last second (block timestamp) it can be approved or carried out.
    event ProposalCreated(
        uint256 indexed proposalId,
        address indexed proposer,
        address target,
        bytes data,
        bytes32 descriptionHash,
        uint64 expiresAt
    );

    /// @notice Emitted when a member approves a proposal (the proposer, on proposing).
    /// @param proposalId The proposal.
    /// @param member The approving member.
    /// @param approvals Approvals of current members so far.
    event ProposalApproved(uint256 indexed proposalId, address indexed member, uint256 approvals);

    /// @notice Emitted when a member withdraws an approval.
    /// @param proposalId The proposal.
    /// @param member The member withdrawing the approval.
    /// @param approvals Approvals of current members left.
    event ProposalApprovalRevoked(uint256 indexed proposalId, address indexed member, uint256 approvals);

    /// @notice Emitted when a proposal's call was carried out.
    /// @param proposalId The proposal.
    /// @param executor The member who carried it out.
    event ProposalExecuted(uint256 indexed proposalId, address indexed executor);

    /// @notice Emitted when a member is added (at deployment or by a proposal).
    /// @param member The member added.
    event MemberAdded(address indexed member);

    /// @notice Emitted when a member is removed by a proposal.
    /// @param member The member removed.
    event MemberRemoved(address indexed member);

    /// @notice Emitted when the number of approvals needed changes (at deployment or by a proposal).
    /// @param threshold The new number of approvals needed.
    event ThresholdChanged(uint256 threshold);

    /// @notice Emitted when the lifetime of new proposals changes (at deployment or by a proposal).
    /// @param lifetime Seconds from a proposal's creation to its expiry.
    event ProposalLifetimeChanged(uint256 lifetime);

    /// @notice Proposes a call and approves it as the proposer; it expires {proposalLifetime} seconds
    /// from now. Requires a member. Emits {ProposalCreated} and {ProposalApproved}.
    /// @param target The contract to call (with code).
    /// @param data The call.
    /// @param descriptionHash Hash of the human description.
    /// @return proposalId The new proposal's id.
    function propose(address target, bytes calldata data, bytes32 descriptionHash)
        external
        returns (uint256 proposalId);

    /// @notice Approves a proposal. Requires a member who has not approved it since becoming a member,
    /// and a proposal neither carried out nor expired. Emits {ProposalApproved}.
    /// @param proposalId The proposal.
    function approve(uint256 proposalId) external;

    /// @notice Withdraws the caller's approval of a proposal neither carried out nor expired.
    /// Emits {ProposalApprovalRevoked}.
    /// @param proposalId The proposal.
    function revokeApproval(uint256 proposalId) external;

    /// @notice Carries out a proposal, not expired, with at least `threshold` approvals from current
    /// members (each given since that member's latest admission). Requires a member. Emits
    /// {ProposalExecuted}; reverts with {CityCouncilCallFailed} if the call does.
    /// @param proposalId The proposal.
    /// @return result What the call returned.
    function execute(uint256 proposalId) external returns (bytes memory result);

    /// @notice Adds a member; one admitted again after a removal starts without any approval.
    /// Only through a proposal. Emits {MemberAdded}.
    /// @param member The new member.
    function addMember(address member) external;

    /// @notice Removes a member; its approvals stop counting for good, even if it is admitted again.
    /// Only through a proposal. Emits {MemberRemoved}.
    /// @param member The member to remove.
    function removeMember(address member) external;

    /// @notice Changes the number of approvals needed (at least 2, at most the members).
    /// Only through a proposal. Emits {ThresholdChanged}.
    /// @param threshold The new number.
    function setThreshold(uint256 threshold) external;

    /// @notice Changes the lifetime of proposals made from now on (one hour to 90 days; seven days at
    /// deployment). Only through a proposal. Emits {ProposalLifetimeChanged}.
    /// @param lifetime Seconds from a proposal's creation to its expiry.
    function setProposalLifetime(uint256 lifetime) external;

    /// @notice Whether an address is a member.
    /// @param account The address.
    /// @return True for a member.
    function isMember(address account) external view returns (bool);

    /// @notice The members.
    /// @return Their addresses.
    function members() external view returns (address[] memory);

    /// @notice Approvals needed to carry out a proposal.
    /// @return The threshold.
    function threshold() external view returns (uint256);

    /// @notice Seconds from a new proposal's creation to its expiry.
    /// @return The lifetime.
    function proposalLifetime() external view returns (uint256);

    /// @notice The number of proposals ever made; ids run from 1 to this.
    /// @return The number of proposals.
    function proposalCount() external view returns (uint256);

    /// @notice A proposal.
    /// @param proposalId The proposal.
    /// @return Its call, description hash, proposer, approvals of current members, whether it was
    /// carried out, and its expiry.
    function proposal(uint256 proposalId) external view returns (ProposalView memory);

    /// @notice Whether a member's approval of a proposal counts.
    /// @param proposalId The proposal.
    /// @param member The member.
    /// @return True if it is a member and approved since its latest admission, without withdrawing.
    function hasApproved(uint256 proposalId, address member) external view returns (bool);
}
