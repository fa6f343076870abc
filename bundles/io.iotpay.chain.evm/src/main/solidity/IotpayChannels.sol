// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/// @title IOTPAY unidirectional payment channels (one shared contract for all channels)
/// @notice A payer locks native coin or an ERC-20 token for a payee. The payer signs EIP-712 vouchers
///         for the cumulative amount owed; the payee claims the latest voucher whenever it likes (only the
///         increase is credited), for one channel or many at once. The payer closes cooperatively with a
///         payee-signed close intent, or alone after a challenge period during which the payee can still claim.
///         Payee proceeds are PULL payments: claims and cooperative closes credit `earnings[payee][token]`, and the
///         payee takes them out with `withdrawEarnings` whenever it likes (leaving one base unit keeps the slot
///         warm-priced: the steady state). Refunds to the payer stay push transfers to msg.sender.
/// @dev Storage: exactly one slot per channel, at slot number == channel id (a keccak256 output, so it cannot
///      collide with anything else; the contract has no other persistent storage). The channel parameters
///      (payer, payee, token, salt) are not stored: callers pass them and the contract re-derives the id.
///      Earnings: one slot per (payee, token) at slot number keccak256(abi.encode(payee, token)) (a 64-byte
///      preimage, channel ids hash 192 bytes, so the two can only meet through a keccak256 collision).
///      Slot layout (low to high bits): deposit uint112 | claimed uint112 | closesAt uint32.
///      closesAt == 0: open; closesAt > now: closing (payee may still claim); closesAt <= now: challenge
///      period over (payer may withdraw). A settled channel's slot is zeroed (gas refund).
///      Salt: its low 64 bits are the channel's open deadline (unix seconds). `open` must be mined at or before
///      the deadline, and the channel can only be settled (slot zeroed) strictly after it. Time only moves forward,
///      so a settled id can never be opened again, and old vouchers can never be replayed against a new deposit,
///      without keeping a tombstone in storage. The upper 192 bits are free (random or a payer nonce).
contract IotpayChannels {
    // ---------------------------------------------------------------- errors
    error InvalidPayee();
    error InvalidAmount();
    error InvalidValue();
    error ChannelExists();
    error ChannelNotOpen();
    error ChannelClosing();
    error ChallengePeriodActive();
    error ChallengePeriodOver();
    error InvalidSignature();
    error VoucherNotNewer();
    error AmountExceedsDeposit();
    error TransferFailed();
    error Reentrancy();
    error OpenDeadlinePassed();
    error OpenDeadlineTooFar();
    error TooEarlyToSettle();
    error InsufficientEarnings();

    // ---------------------------------------------------------------- events
    /// @notice A channel was opened. The parameters (payer, payee, token, salt) are in the transaction's calldata
    ///         and known to both parties; they are not repeated in the log to keep `open` cheap.
    event ChannelOpened(bytes32 indexed channelId, uint256 deposit);
    /// @notice The payer added funds.
    event ChannelToppedUp(bytes32 indexed channelId, uint256 amount, uint256 newDeposit);
    /// @notice The payee claimed a voucher; `cumulativeClaimed` is the new total paid out on this channel.
    event ChannelClaimed(bytes32 indexed channelId, uint256 cumulativeClaimed);
    /// @notice The payer started a unilateral close; the payee can claim until `closesAt` (unix seconds).
    event ChannelCloseStarted(bytes32 indexed channelId, uint256 closesAt);
    /// @notice The channel is settled: `totalPaid` went to the payee over its lifetime, `refunded` back to the payer.
    event ChannelClosed(bytes32 indexed channelId, uint256 totalPaid, uint256 refunded);
    /// @notice The payee took `amount` of its earnings in `token` (address(0) = native coin) out of the contract.
    ///         Credits to earnings are not logged separately: each one equals the increase of a channel's cumulative
    ///         amount shown by ChannelClaimed / ChannelClosed (payee and token are in that transaction's calldata).
    event EarningsWithdrawn(address indexed payee, address indexed token, uint256 amount);

    // ---------------------------------------------------------------- EIP-712
    bytes32 public constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 public constant VOUCHER_TYPEHASH = keccak256("Voucher(bytes32 channelId,uint256 cumulativeAmount)");
    bytes32 public constant CLOSE_INTENT_TYPEHASH = keccak256("CloseIntent(bytes32 channelId,uint256 finalAmount)");
    bytes32 private constant NAME_HASH = keccak256("IOTPAY");
    bytes32 private constant VERSION_HASH = keccak256("1");

    /// @dev secp256k1n / 2; signatures with a larger s are rejected (malleability, EIP-2).
    uint256 private constant HALF_N = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;
    uint256 private constant MAX_AMOUNT = (1 << 112) - 1;
    uint256 private constant AMOUNT_MASK = (1 << 112) - 1;
    /// @notice Longest allowed distance between `open` and the deadline in the salt's low 64 bits.
    uint256 public constant MAX_OPEN_WINDOW = 1 days;
    /// @dev transient storage slot of the reentrancy lock
    uint256 private constant LOCK_SLOT = 0x1;

    /// @notice Length of the payer's unilateral close challenge period in seconds.
    uint256 public immutable challengePeriod;
    uint256 private immutable _cachedChainId;
    bytes32 private immutable _cachedDomainSeparator;

    /// @notice One item of a batch claim (payee = msg.sender, token shared by the batch).
    struct BatchItem {
        address payer;
        uint256 salt;
        uint256 cumulativeAmount;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    /// @notice Longest challenge period accepted by the constructor. `closesAt` is kept in 32 bits, so
    ///         `block.timestamp + challengePeriod` must stay below 2^32 (year 2106); a year is far more than any
    ///         payee needs to claim.
    uint256 public constant MAX_CHALLENGE_PERIOD = 365 days;

    constructor(uint32 challengePeriodSeconds) {
        if (challengePeriodSeconds == 0 || challengePeriodSeconds > MAX_CHALLENGE_PERIOD) revert InvalidAmount();
        challengePeriod = challengePeriodSeconds;
        _cachedChainId = block.chainid;
        _cachedDomainSeparator = _buildDomainSeparator();
    }

    /// @dev Reentrancy guard in transient storage. ERC-20 paths take the lock around the token calls. Native-coin
    ///      paths follow checks-effects-interactions and only refuse to run while the lock is held (a token
    ///      re-entering), which saves two TSTOREs on the cheapest paths.
    modifier notLocked() {
        bool locked;
        assembly ("memory-safe") {
            locked := tload(LOCK_SLOT)
        }
        if (locked) revert Reentrancy();
        _;
    }

    /// @dev Takes the lock for every token, native coin included (used where the payout goes to msg.sender and
    ///      gas does not matter much: withdrawEarnings).
    modifier lockAlways() {
        bool locked;
        assembly ("memory-safe") {
            locked := tload(LOCK_SLOT)
        }
        if (locked) revert Reentrancy();
        assembly ("memory-safe") {
            tstore(LOCK_SLOT, 1)
        }
        _;
        assembly ("memory-safe") {
            tstore(LOCK_SLOT, 0)
        }
    }

    modifier nonReentrant(address token) {
        bool locked;
        assembly ("memory-safe") {
            locked := tload(LOCK_SLOT)
        }
        if (locked) revert Reentrancy();
        if (token != address(0)) {
            assembly ("memory-safe") {
                tstore(LOCK_SLOT, 1)
            }
        }
        _;
        if (token != address(0)) {
            assembly ("memory-safe") {
                tstore(LOCK_SLOT, 0)
            }
        }
    }

    // ================================================================ views

    /// @notice EIP-712 domain separator {name:"IOTPAY", version:"1", chainId, verifyingContract}.
    function domainSeparator() public view returns (bytes32) {
        return block.chainid == _cachedChainId ? _cachedDomainSeparator : _buildDomainSeparator();
    }

    /// @notice Channel id = keccak256(abi.encode(chainid, address(this), payer, payee, token, salt)).
    function channelId(address payer, address payee, address token, uint256 salt) public view returns (bytes32) {
        return _channelId(payer, payee, token, salt);
    }

    /// @notice Channel state; all zero if the channel never existed.
    /// @return deposit total locked by the payer, claimed total paid to the payee, closesAt 0 while open,
    ///         end of the challenge period while closing.
    function channel(bytes32 id) external view returns (uint256 deposit, uint256 claimed, uint256 closesAt) {
        uint256 st;
        assembly ("memory-safe") {
            st := sload(id)
        }
        return (st & AMOUNT_MASK, (st >> 112) & AMOUNT_MASK, st >> 224);
    }

    /// @notice Earnings of `payee` in `token` (address(0) = native coin) credited by claims and cooperative closes
    ///         and not yet withdrawn.
    function earnings(address payee, address token) external view returns (uint256 amount) {
        bytes32 slot = _earningsSlot(payee, token);
        assembly ("memory-safe") {
            amount := sload(slot)
        }
    }

    /// @notice EIP-712 digest the payer signs for a voucher.
    function voucherDigest(bytes32 id, uint256 cumulativeAmount) external view returns (bytes32) {
        return _digest(VOUCHER_TYPEHASH, id, cumulativeAmount, domainSeparator());
    }

    /// @notice EIP-712 digest the payee signs for a cooperative close.
    function closeIntentDigest(bytes32 id, uint256 finalAmount) external view returns (bytes32) {
        return _digest(CLOSE_INTENT_TYPEHASH, id, finalAmount, domainSeparator());
    }

    // ================================================================ payer

    /// @notice Open a native-coin channel from msg.sender to `payee` with deposit msg.value.
    ///         `salt`: low 64 bits = open deadline (unix seconds, now <= deadline <= now + MAX_OPEN_WINDOW).
    function openNative(address payee, uint256 salt) external payable nonReentrant(address(0)) returns (bytes32 id) {
        id = _open(payee, address(0), salt, msg.value);
    }

    /// @notice Open a channel from msg.sender to `payee`. Native coin: token = address(0) and msg.value == amount
    ///         (openNative is the same, a little cheaper). ERC-20: msg.value == 0 and the contract pulls `amount`
    ///         with transferFrom (approve first). Fee-on-transfer and rebasing tokens are not supported.
    function open(address payee, address token, uint256 salt, uint256 amount)
        external
        payable
        nonReentrant(token)
        returns (bytes32 id)
    {
        if (msg.value != (token == address(0) ? amount : 0)) revert InvalidValue();
        id = _open(payee, token, salt, amount);
        if (token != address(0)) _pull(token, msg.sender, amount);
    }

    /// @notice Add funds to an open channel (not while closing).
    function topUp(address payee, address token, uint256 salt, uint256 amount) external payable nonReentrant(token) {
        if (amount == 0) revert InvalidAmount();
        if (msg.value != (token == address(0) ? amount : 0)) revert InvalidValue();
        bytes32 id = _channelId(msg.sender, payee, token, salt);
        uint256 st = _load(id);
        if (st == 0) revert ChannelNotOpen();
        if (st >> 224 != 0) revert ChannelClosing();
        uint256 newDeposit = (st & AMOUNT_MASK) + amount;
        if (newDeposit > MAX_AMOUNT) revert InvalidAmount();
        _store(id, (st & ~AMOUNT_MASK) | newDeposit);
        emit ChannelToppedUp(id, amount, newDeposit);
        if (token != address(0)) _pull(token, msg.sender, amount);
    }

    /// @notice Cooperative close, sent by the payer with the payee's EIP-712 CloseIntent(channelId, finalAmount).
    ///         Credits the payee's earnings with finalAmount minus what it already claimed (pull payment, see
    ///         withdrawEarnings) and refunds the rest to the payer (push). Works while open or closing.
    function closeCooperative(address payee, address token, uint256 salt, uint256 finalAmount, uint8 v, bytes32 r, bytes32 s)
        external
        nonReentrant(token)
    {
        bytes32 id = _channelId(msg.sender, payee, token, salt);
        uint256 st = _load(id);
        if (st == 0) revert ChannelNotOpen();
        if (block.timestamp <= uint64(salt)) revert TooEarlyToSettle();
        if (_recover(_digest(CLOSE_INTENT_TYPEHASH, id, finalAmount, domainSeparator()), v, r, s) != payee) {
            revert InvalidSignature();
        }
        uint256 deposit = st & AMOUNT_MASK;
        uint256 claimed = (st >> 112) & AMOUNT_MASK;
        if (finalAmount > deposit) revert AmountExceedsDeposit();
        if (finalAmount < claimed) revert VoucherNotNewer();
        _store(id, 0);
        _credit(payee, token, finalAmount - claimed);
        emit ChannelClosed(id, finalAmount, deposit - finalAmount);
        _pay(token, msg.sender, deposit - finalAmount);
    }

    /// @notice Unilateral close by the payer: starts the challenge period. The payee can claim until it ends.
    function startClose(address payee, address token, uint256 salt) external nonReentrant(token) {
        bytes32 id = _channelId(msg.sender, payee, token, salt);
        uint256 st = _load(id);
        if (st == 0) revert ChannelNotOpen();
        if (st >> 224 != 0) revert ChannelClosing();
        uint256 closesAt = block.timestamp + challengePeriod;
        _store(id, (closesAt << 224) | (st & ((1 << 224) - 1)));
        emit ChannelCloseStarted(id, closesAt);
    }

    /// @notice After the challenge period, the payer takes back everything the payee has not claimed.
    function withdraw(address payee, address token, uint256 salt) external nonReentrant(token) {
        bytes32 id = _channelId(msg.sender, payee, token, salt);
        uint256 st = _load(id);
        uint256 closesAt = st >> 224;
        if (st == 0 || closesAt == 0) revert ChannelNotOpen();
        if (block.timestamp < closesAt) revert ChallengePeriodActive();
        if (block.timestamp <= uint64(salt)) revert TooEarlyToSettle();
        uint256 deposit = st & AMOUNT_MASK;
        uint256 claimed = (st >> 112) & AMOUNT_MASK;
        _store(id, 0);
        emit ChannelClosed(id, claimed, deposit - claimed);
        _pay(token, msg.sender, deposit - claimed);
    }

    // ================================================================ payee

    /// @notice Claim a voucher on one channel; msg.sender must be the payee. Credits only the increase over
    ///         what was already claimed to earnings(msg.sender, token); no transfer (see withdrawEarnings).
    ///         Allowed while open and during the challenge period. Makes no external call.
    function claim(address payer, address token, uint256 salt, uint256 cumulativeAmount, uint8 v, bytes32 r, bytes32 s)
        external
        notLocked
    {
        _credit(msg.sender, token, _claim(payer, token, salt, cumulativeAmount, v, r, s, domainSeparator()));
    }

    /// @notice Claim vouchers on many channels paying msg.sender in `token`, with a single earnings credit.
    function claimBatch(address token, BatchItem[] calldata items) external notLocked {
        uint256 total;
        uint256 n = items.length;
        bytes32 ds = domainSeparator();
        for (uint256 i; i < n;) {
            BatchItem calldata it = items[i];
            unchecked {
                // each increase <= 2^112 and n is bounded by calldata size: cannot overflow
                total += _claim(it.payer, token, it.salt, it.cumulativeAmount, it.v, it.r, it.s, ds);
                ++i;
            }
        }
        _credit(msg.sender, token, total);
    }

    /// @notice Pays `amount` of msg.sender's earnings in `token` (address(0) = native coin) to msg.sender.
    ///         Tip: withdraw `earnings(me, token) - 1` to leave one base unit behind; the slot then stays non-zero
    ///         and every later credit (claim, batch claim, cooperative close) costs 2,900 instead of 20,000 gas
    ///         more. Withdrawing everything zeroes the slot (and earns the storage refund).
    function withdrawEarnings(address token, uint256 amount) external lockAlways {
        if (amount == 0) revert InvalidAmount();
        bytes32 slot = _earningsSlot(msg.sender, token);
        uint256 bal;
        assembly ("memory-safe") {
            bal := sload(slot)
        }
        if (amount > bal) revert InsufficientEarnings();
        unchecked {
            bal -= amount;
        }
        assembly ("memory-safe") {
            sstore(slot, bal)
        }
        emit EarningsWithdrawn(msg.sender, token, amount);
        _pay(token, msg.sender, amount);
    }

    // ================================================================ internals

    function _open(address payee, address token, uint256 salt, uint256 amount) private returns (bytes32 id) {
        if (payee == address(0) || payee == msg.sender) revert InvalidPayee();
        if (amount == 0 || amount > MAX_AMOUNT) revert InvalidAmount();
        uint256 deadline = uint64(salt);
        if (block.timestamp > deadline) revert OpenDeadlinePassed();
        if (deadline > block.timestamp + MAX_OPEN_WINDOW) revert OpenDeadlineTooFar();
        id = _channelId(msg.sender, payee, token, salt);
        if (_load(id) != 0) revert ChannelExists();
        _store(id, amount);
        emit ChannelOpened(id, amount);
    }

    function _claim(
        address payer,
        address token,
        uint256 salt,
        uint256 cumulativeAmount,
        uint8 v,
        bytes32 r,
        bytes32 s,
        bytes32 ds
    ) private returns (uint256 increase) {
        bytes32 id = _channelId(payer, msg.sender, token, salt);
        uint256 st = _load(id);
        uint256 closesAt = st >> 224;
        if (st == 0) revert ChannelNotOpen();
        if (closesAt != 0 && block.timestamp >= closesAt) revert ChallengePeriodOver();
        if (_recover(_digest(VOUCHER_TYPEHASH, id, cumulativeAmount, ds), v, r, s) != payer) revert InvalidSignature();
        uint256 deposit = st & AMOUNT_MASK;
        uint256 claimed = (st >> 112) & AMOUNT_MASK;
        if (cumulativeAmount <= claimed) revert VoucherNotNewer();
        if (cumulativeAmount > deposit) revert AmountExceedsDeposit();
        _store(id, (st & ~(AMOUNT_MASK << 112)) | (cumulativeAmount << 112));
        emit ChannelClaimed(id, cumulativeAmount);
        unchecked {
            increase = cumulativeAmount - claimed;
        }
    }

    /// @dev earnings[payee][token] lives at keccak256(abi.encode(payee, token)).
    function _earningsSlot(address payee, address token) private pure returns (bytes32 slot) {
        assembly ("memory-safe") {
            mstore(0x00, payee)
            mstore(0x20, token)
            slot := keccak256(0x00, 0x40)
        }
    }

    /// @dev Adds `amount` to earnings[payee][token] (no-op for 0). Checked add: a sum of many 2^112-capped credits
    ///      can never wrap in practice, the check only costs a few gas.
    function _credit(address payee, address token, uint256 amount) private {
        if (amount == 0) return;
        bytes32 slot = _earningsSlot(payee, token);
        uint256 bal;
        assembly ("memory-safe") {
            bal := sload(slot)
        }
        bal += amount;
        assembly ("memory-safe") {
            sstore(slot, bal)
        }
    }

    function _load(bytes32 id) private view returns (uint256 st) {
        assembly ("memory-safe") {
            st := sload(id)
        }
    }

    function _store(bytes32 id, uint256 st) private {
        assembly ("memory-safe") {
            sstore(id, st)
        }
    }

    function _channelId(address payer, address payee, address token, uint256 salt) private view returns (bytes32 id) {
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, chainid())
            mstore(add(m, 0x20), address())
            mstore(add(m, 0x40), payer)
            mstore(add(m, 0x60), payee)
            mstore(add(m, 0x80), token)
            mstore(add(m, 0xa0), salt)
            id := keccak256(m, 0xc0)
        }
    }

    function _buildDomainSeparator() private view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid, address(this)));
    }

    function _digest(bytes32 typeHash, bytes32 id, uint256 amount, bytes32 ds) private pure returns (bytes32 d) {
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, typeHash)
            mstore(add(m, 0x20), id)
            mstore(add(m, 0x40), amount)
            let structHash := keccak256(m, 0x60)
            mstore(m, 0x1901000000000000000000000000000000000000000000000000000000000000)
            mstore(add(m, 0x02), ds)
            mstore(add(m, 0x22), structHash)
            d := keccak256(m, 0x42)
        }
    }

    /// @dev ecrecover with malleability checks: low s only, v in {27, 28}, no zero address.
    function _recover(bytes32 digest, uint8 v, bytes32 r, bytes32 s) private view returns (address signer) {
        if (uint256(s) > HALF_N || (v != 27 && v != 28)) revert InvalidSignature();
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, digest)
            mstore(add(m, 0x20), v)
            mstore(add(m, 0x40), r)
            mstore(add(m, 0x60), s)
            mstore(0x00, 0)
            pop(staticcall(gas(), 0x01, m, 0x80, 0x00, 0x20))
            signer := mload(0x00)
        }
        if (signer == address(0)) revert InvalidSignature();
    }

    function _pay(address token, address to, uint256 amount) private {
        if (amount == 0) return;
        bool ok;
        if (token == address(0)) {
            assembly ("memory-safe") {
                ok := call(gas(), to, amount, 0, 0, 0, 0)
            }
        } else {
            ok = _callOptionalBool(token, abi.encodeWithSelector(0xa9059cbb, to, amount)); // transfer(address,uint256)
        }
        if (!ok) revert TransferFailed();
    }

    function _pull(address token, address from, uint256 amount) private {
        // transferFrom(address,address,uint256)
        if (!_callOptionalBool(token, abi.encodeWithSelector(0x23b872dd, from, address(this), amount))) {
            revert TransferFailed();
        }
    }

    /// @dev Calls an ERC-20 method; accepts no return data (old tokens) or a true bool, requires code at `token`.
    function _callOptionalBool(address token, bytes memory data) private returns (bool ok) {
        assembly ("memory-safe") {
            ok := call(gas(), token, 0, add(data, 0x20), mload(data), 0x00, 0x20)
            switch returndatasize()
            case 0 { ok := and(ok, gt(extcodesize(token), 0)) }
            default { ok := and(ok, and(gt(returndatasize(), 0x1f), eq(mload(0x00), 1))) }
        }
    }
}
