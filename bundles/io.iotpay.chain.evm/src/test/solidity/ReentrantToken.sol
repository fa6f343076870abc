// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {TestToken} from "./TestToken.sol";

/// @title Malicious ERC-20 for tests only: on transfer/transferFrom (and on receiving native coin) it calls back into `target` with
///        pre-set calldata (e.g. a second claim or withdraw) and records whether that re-entry succeeded.
contract ReentrantToken is TestToken {
    address public target;
    bytes public payload;
    bool public armed;
    bool public reentryAttempted;
    bool public reentrySucceeded;
    bytes public reentryRevertData;

    constructor() TestToken("Reentrant", "EVIL") {}

    /// @notice Arm the attack: the next transfer or transferFrom calls `target_` with `payload_` once.
    function arm(address target_, bytes calldata payload_) external {
        target = target_;
        payload = payload_;
        armed = true;
        reentryAttempted = false;
        reentrySucceeded = false;
        delete reentryRevertData;
    }

    /// @notice Lets the token contract itself act as a channel payer or payee in attack scenarios.
    function exec(address to, bytes calldata data) external payable returns (bytes memory) {
        (bool ok, bytes memory ret) = to.call{value: msg.value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
        return ret;
    }

    /// @notice Native-coin payouts to this contract re-enter too when armed (native withdrawEarnings attack).
    receive() external payable {
        _reenter();
    }

    function transfer(address to, uint256 amount) external override returns (bool) {
        _reenter();
        _transfer(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external override returns (bool) {
        _reenter();
        uint256 a = allowance[from][msg.sender];
        if (a != type(uint256).max) {
            require(a >= amount, "allowance");
            allowance[from][msg.sender] = a - amount;
        }
        _transfer(from, to, amount);
        return true;
    }

    function _reenter() private {
        if (!armed) return;
        armed = false;
        reentryAttempted = true;
        (bool ok, bytes memory ret) = target.call(payload);
        reentrySucceeded = ok;
        if (!ok) reentryRevertData = ret;
    }
}
