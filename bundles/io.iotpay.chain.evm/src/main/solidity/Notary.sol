// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/// @title IOTPAY notary
/// @notice Anchors Merkle roots of meter readings and receipts. `anchor` only emits a log (no storage, the cheapest
///         possible anchor: the log, its block and its transaction receipt are the proof). `anchorStored`
///         additionally records the root so other contracts can check it on chain.
/// @dev Storage (anchorStored only): anchors[root] = one slot: submitter address (bits 0..159) |
///      leafCount uint32 (bits 160..191) | timestamp uint64 (bits 192..255).
contract Notary {
    error InvalidRoot();
    error InvalidLeafCount();
    error AlreadyAnchored();

    /// @notice A Merkle root was anchored by `submitter` for its batch `batchId`.
    event RootAnchored(address indexed submitter, uint64 indexed batchId, bytes32 indexed root, uint32 leafCount);

    mapping(bytes32 => uint256) private _anchors;

    /// @notice Anchor a root as a log only.
    function anchor(uint64 batchId, bytes32 root, uint32 leafCount) external {
        if (root == bytes32(0)) revert InvalidRoot();
        if (leafCount == 0) revert InvalidLeafCount();
        emit RootAnchored(msg.sender, batchId, root, leafCount);
    }

    /// @notice Anchor a root as a log and in storage (first anchor of a root wins).
    function anchorStored(uint64 batchId, bytes32 root, uint32 leafCount) external {
        if (root == bytes32(0)) revert InvalidRoot();
        if (leafCount == 0) revert InvalidLeafCount();
        if (_anchors[root] != 0) revert AlreadyAnchored();
        _anchors[root] = (block.timestamp << 192) | (uint256(leafCount) << 160) | uint256(uint160(msg.sender));
        emit RootAnchored(msg.sender, batchId, root, leafCount);
    }

    /// @notice Stored anchor of a root (all zero if it was not anchored with anchorStored).
    function anchored(bytes32 root) external view returns (address submitter, uint32 leafCount, uint64 timestamp) {
        uint256 a = _anchors[root];
        return (address(uint160(a)), uint32(a >> 160), uint64(a >> 192));
    }
}
