// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/// @title IOTPAY device registry
/// @notice Anchors device certificate hashes with the device's owner, revokes them, and transfers device
///         ownership only with EIP-712 signatures of both the current and the new owner.
/// @dev Storage:
///      devices[deviceId]      one slot: owner address (bits 0..159) | transfer nonce uint96 (bits 160..255)
///      certificates[certHash] slot 0: deviceId; slot 1: anchoredAt uint64 | revokedAt uint64
///      "is this certificate valid" reads one slot; "who owns this device" reads one slot.
///      A device id is chosen by whoever registers it first (the PKI derives it from the device's public key);
///      signatures are checked with ecrecover, so owners are externally owned accounts.
contract DeviceRegistry {
    error DeviceExists();
    error DeviceUnknown();
    error NotOwner();
    error CertificateExists();
    error CertificateUnknown();
    error CertificateAlreadyRevoked();
    error InvalidSignature();
    error InvalidNewOwner();
    error Expired();
    error InvalidId();

    event DeviceRegistered(bytes32 indexed deviceId, address indexed owner);
    event CertificateAnchored(bytes32 indexed certHash, bytes32 indexed deviceId);
    event CertificateRevoked(bytes32 indexed certHash, bytes32 indexed deviceId);
    event OwnershipTransferred(bytes32 indexed deviceId, address indexed from, address indexed to, uint256 nonce);

    bytes32 public constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 public constant OWNERSHIP_TRANSFER_TYPEHASH =
        keccak256("OwnershipTransfer(bytes32 deviceId,address from,address to,uint256 nonce,uint256 deadline)");
    bytes32 private constant NAME_HASH = keccak256("IOTPAY");
    bytes32 private constant VERSION_HASH = keccak256("1");
    uint256 private constant HALF_N = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    struct Certificate {
        bytes32 deviceId;
        uint64 anchoredAt;
        uint64 revokedAt;
    }

    mapping(bytes32 => uint256) private _devices;
    mapping(bytes32 => Certificate) private _certificates;

    uint256 private immutable _cachedChainId;
    bytes32 private immutable _cachedDomainSeparator;

    constructor() {
        _cachedChainId = block.chainid;
        _cachedDomainSeparator = _buildDomainSeparator();
    }

    // ================================================================ views

    function domainSeparator() public view returns (bytes32) {
        return block.chainid == _cachedChainId ? _cachedDomainSeparator : _buildDomainSeparator();
    }

    /// @notice Current owner of a device, address(0) if unknown.
    function ownerOf(bytes32 deviceId) external view returns (address) {
        return address(uint160(_devices[deviceId]));
    }

    /// @notice Nonce the next OwnershipTransfer of this device must carry.
    function transferNonce(bytes32 deviceId) external view returns (uint256) {
        return _devices[deviceId] >> 160;
    }

    /// @notice True if the certificate hash is anchored and not revoked.
    function isCertificateValid(bytes32 certHash) external view returns (bool) {
        Certificate storage c = _certificates[certHash];
        return c.anchoredAt != 0 && c.revokedAt == 0;
    }

    /// @notice Full certificate record with the device's current owner.
    function certificate(bytes32 certHash)
        external
        view
        returns (bytes32 deviceId, address owner, uint64 anchoredAt, uint64 revokedAt)
    {
        Certificate storage c = _certificates[certHash];
        deviceId = c.deviceId;
        owner = address(uint160(_devices[deviceId]));
        anchoredAt = c.anchoredAt;
        revokedAt = c.revokedAt;
    }

    /// @notice EIP-712 digest that both the current and the new owner sign.
    function ownershipTransferDigest(bytes32 deviceId, address from, address to, uint256 nonce, uint256 deadline)
        public
        view
        returns (bytes32)
    {
        bytes32 structHash = keccak256(abi.encode(OWNERSHIP_TRANSFER_TYPEHASH, deviceId, from, to, nonce, deadline));
        return keccak256(abi.encodePacked(hex"1901", domainSeparator(), structHash));
    }

    // ================================================================ owner actions

    /// @notice Register a new device owned by msg.sender and anchor its first certificate.
    function registerDevice(bytes32 deviceId, bytes32 certHash) external {
        if (deviceId == bytes32(0)) revert InvalidId();
        if (_devices[deviceId] != 0) revert DeviceExists();
        _devices[deviceId] = uint256(uint160(msg.sender));
        emit DeviceRegistered(deviceId, msg.sender);
        _anchor(deviceId, certHash);
    }

    /// @notice Anchor another certificate (e.g. a renewal) for a device owned by msg.sender.
    function anchorCertificate(bytes32 deviceId, bytes32 certHash) external {
        _onlyOwner(deviceId);
        _anchor(deviceId, certHash);
    }

    /// @notice Revoke a certificate of a device owned by msg.sender. Revocation is final.
    function revokeCertificate(bytes32 certHash) external {
        Certificate storage c = _certificates[certHash];
        if (c.anchoredAt == 0) revert CertificateUnknown();
        if (c.revokedAt != 0) revert CertificateAlreadyRevoked();
        bytes32 deviceId = c.deviceId;
        _onlyOwner(deviceId);
        c.revokedAt = uint64(block.timestamp);
        emit CertificateRevoked(certHash, deviceId);
    }

    /// @notice Transfer a device to `to`. Needs EIP-712 OwnershipTransfer signatures of the current owner
    ///         and of `to` over the same (deviceId, from, to, nonce, deadline). Anyone may submit.
    function transferOwnership(
        bytes32 deviceId,
        address to,
        uint256 deadline,
        uint8 fromV,
        bytes32 fromR,
        bytes32 fromS,
        uint8 toV,
        bytes32 toR,
        bytes32 toS
    ) external {
        if (block.timestamp > deadline) revert Expired();
        uint256 d = _devices[deviceId];
        address from = address(uint160(d));
        if (from == address(0)) revert DeviceUnknown();
        if (to == address(0) || to == from) revert InvalidNewOwner();
        uint256 nonce = d >> 160;
        bytes32 digest = ownershipTransferDigest(deviceId, from, to, nonce, deadline);
        if (_recover(digest, fromV, fromR, fromS) != from) revert InvalidSignature();
        if (_recover(digest, toV, toR, toS) != to) revert InvalidSignature();
        _devices[deviceId] = ((nonce + 1) << 160) | uint256(uint160(to));
        emit OwnershipTransferred(deviceId, from, to, nonce);
    }

    // ================================================================ internals

    function _onlyOwner(bytes32 deviceId) private view {
        address owner = address(uint160(_devices[deviceId]));
        if (owner == address(0)) revert DeviceUnknown();
        if (owner != msg.sender) revert NotOwner();
    }

    function _anchor(bytes32 deviceId, bytes32 certHash) private {
        if (certHash == bytes32(0)) revert InvalidId();
        Certificate storage c = _certificates[certHash];
        if (c.anchoredAt != 0) revert CertificateExists();
        c.deviceId = deviceId;
        c.anchoredAt = uint64(block.timestamp);
        emit CertificateAnchored(certHash, deviceId);
    }

    function _buildDomainSeparator() private view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid, address(this)));
    }

    function _recover(bytes32 digest, uint8 v, bytes32 r, bytes32 s) private pure returns (address signer) {
        if (uint256(s) > HALF_N || (v != 27 && v != 28)) revert InvalidSignature();
        signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) revert InvalidSignature();
    }
}
