#!/usr/bin/env node
// Gas prototype and attack smoke test for the IOTPAY contracts against a real anvil on 127.0.0.1.
//
//   cd tools && npm ci && node compile-contracts.mjs && node gas-prototype.mjs
//
// Deploys the committed artifacts (src/main/resources/contracts, src/test/resources/contracts), measures the
// channel lifecycle (native and ERC-20), exercises the attack cases (asserting the exact custom error), prints a
// markdown table and exits non-zero if an assertion or a gas target fails. The anvil process is always killed.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ethers } from 'ethers';

const TOOLS = dirname(fileURLToPath(import.meta.url));
const MODULE = resolve(TOOLS, '..', 'bundles', 'io.iotpay.chain.evm');
const ANVIL = join(TOOLS, 'node_modules', '@foundry-rs', 'anvil-linux-amd64', 'bin', 'anvil');
const MNEMONIC = 'test test test test test test test test test test test junk'; // anvil's public default
const CHALLENGE = 3600;
const TARGETS = { openClose: 90000, claim: 45000, batchPerChannel: 15000 };

const artifact = (name, test = false) =>
  JSON.parse(readFileSync(join(MODULE, 'src', test ? 'test' : 'main', 'resources', 'contracts', `${name}.json`), 'utf8'));

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

async function startAnvil() {
  const port = await freePort();
  const proc = spawn(ANVIL, ['--host', '127.0.0.1', '--port', String(port), '--accounts', '30', '--silent'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      });
      if (r.ok) return { proc, url };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGKILL');
  throw new Error('anvil did not start');
}

let failures = 0;
let passes = 0;
function check(cond, msg) {
  if (cond) {
    passes++;
    console.log(`  ok   ${msg}`);
  } else {
    failures++;
    console.log(`  FAIL ${msg}`);
  }
}

async function expectRevert(iface, promise, errorName, msg) {
  try {
    await promise;
    check(false, `${msg}: expected ${errorName}, call succeeded`);
  } catch (e) {
    let name = e.revert?.name;
    const data = e.data ?? e.info?.error?.data;
    if (!name && data) {
      try {
        name = iface.parseError(data)?.name;
      } catch {
        /* unknown */
      }
    }
    check(name === errorName, `${msg}: reverts with ${errorName}${name === errorName ? '' : ` (got ${name ?? e.shortMessage ?? e.message})`}`);
  }
}

async function main() {
  const { proc, url } = await startAnvil();
  try {
    await run(url);
  } finally {
    proc.kill('SIGTERM');
  }
  console.log(`\n${passes} passed, ${failures} failed`);
  process.exit(failures ? 1 : 0);
}

async function run(url) {
  const provider = new ethers.JsonRpcProvider(url, undefined, { staticNetwork: true, cacheTimeout: -1 });
  const { chainId } = await provider.getNetwork();
  const root = ethers.HDNodeWallet.fromPhrase(MNEMONIC, undefined, "m/44'/60'/0'/0");
  const w = Array.from({ length: 30 }, (_, i) => root.deriveChild(i).connect(provider));
  const [deployer, payer, payee, other, payee2] = w;
  const batchPayers = w.slice(5, 25);
  const attacker = w[25];
  const payeeFresh = w[26]; // never earned anything before the first-ever open + close

  const deploy = async (art, signer, ...args) => {
    const f = new ethers.ContractFactory(art.abi, art.bytecode, signer);
    const c = await f.deploy(...args);
    await c.waitForDeployment();
    return c;
  };
  const chArt = artifact('IotpayChannels');
  const iface = new ethers.Interface(chArt.abi);
  const channels = await deploy(chArt, deployer, CHALLENGE);
  const channelsB = await deploy(chArt, deployer, CHALLENGE);
  const registry = await deploy(artifact('DeviceRegistry'), deployer);
  const notary = await deploy(artifact('Notary'), deployer);
  const token = await deploy(artifact('TestToken', true), deployer, 'Test', 'TST');
  const evil = await deploy(artifact('ReentrantToken', true), deployer);
  const chAddr = await channels.getAddress();
  const tokAddr = await token.getAddress();
  const evilAddr = await evil.getAddress();

  const domain = (verifyingContract = chAddr, cid = chainId) => ({ name: 'IOTPAY', version: '1', chainId: cid, verifyingContract });
  const VOUCHER = { Voucher: [{ name: 'channelId', type: 'bytes32' }, { name: 'cumulativeAmount', type: 'uint256' }] };
  const CLOSE = { CloseIntent: [{ name: 'channelId', type: 'bytes32' }, { name: 'finalAmount', type: 'uint256' }] };
  const sig = async (signer, types, value, dom = domain()) => ethers.Signature.from(await signer.signTypedData(dom, types, value));
  const voucher = (signer, channelId, cumulativeAmount, dom) => sig(signer, VOUCHER, { channelId, cumulativeAmount }, dom);
  const closeIntent = (signer, channelId, finalAmount, dom) => sig(signer, CLOSE, { channelId, finalAmount }, dom);
  const gasOf = async (txp) => Number((await (await txp).wait()).gasUsed);
  const E = ethers.parseEther;
  let nonce = 1n;
  const now = async () => BigInt((await provider.getBlock('latest')).timestamp);
  // salt = nonce (upper 192 bits) | open deadline (low 64 bits, unix seconds)
  const newSalt = async (window = 600n) => ((nonce++) << 64n) | ((await now()) + window);
  const pastDeadlines = async () => {
    await provider.send('evm_increaseTime', [601]);
    await provider.send('evm_mine', []);
  };
  const idOf = (p, q, t, s, contract = chAddr) =>
    ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(
      ['uint256', 'address', 'address', 'address', 'address', 'uint256'], [chainId, contract, p, q, t, s]));

  console.log('# sanity');
  check((await channels.domainSeparator()) === ethers.TypedDataEncoder.hashDomain(domain()), 'domain separator matches EIP-712 {IOTPAY,1,chainId,contract}');
  check((await channels.channelId(payer.address, payee.address, ethers.ZeroAddress, 7n)) === idOf(payer.address, payee.address, ethers.ZeroAddress, 7n), 'channel id derivation');

  // ------------------------------------------------------------ native gas
  // Payee proceeds are pull payments (earnings[payee][token]). "first" = the payee's earnings slot is still empty
  // (the credit creates it: +17,100 gas once); "steady" = the payee already holds earnings (it leaves a dust unit
  // behind when it withdraws), which is the normal case and the one the targets are about.
  const N = ethers.ZeroAddress;
  const gas = {};
  const openNative = async (from, to, s, amount) => gasOf(channels.connect(from).openNative(to, s, { value: amount }));
  const earned = (who, tok = N) => channels.earnings(who, tok);

  // first-ever open + cooperative close for a payee that never earned anything
  let s0 = await newSalt();
  gas.nativeOpenFirst = await openNative(payer, payeeFresh.address, s0, E('1'));
  let ci = await closeIntent(payeeFresh, idOf(payer.address, payeeFresh.address, N, s0), E('0.25'));
  await pastDeadlines();
  check((await earned(payeeFresh.address)) === 0n, 'fresh payee has no earnings');
  const freshBal = await provider.getBalance(payeeFresh.address);
  gas.nativeCloseFirst = await gasOf(channels.connect(payer).closeCooperative(payeeFresh.address, N, s0, E('0.25'), ci.v, ci.r, ci.s));
  check((await earned(payeeFresh.address)) === E('0.25'), 'first cooperative close credits the payee\'s earnings');
  check((await provider.getBalance(payeeFresh.address)) === freshBal, 'cooperative close transfers nothing to the payee (pull payment)');

  let s1 = await newSalt();
  gas.nativeOpen = await openNative(payer, payee.address, s1, E('1'));
  let id1 = idOf(payer.address, payee.address, N, s1);
  let v = await voucher(payer, id1, E('0.1'));
  const payeeBal0 = await provider.getBalance(payee.address);
  gas.nativeClaimFirst = await gasOf(channels.connect(payee).claim(payer.address, N, s1, E('0.1'), v.v, v.r, v.s));
  check((await earned(payee.address)) === E('0.1'), 'first claim credits earnings');
  v = await voucher(payer, id1, E('0.2'));
  gas.nativeClaim2 = await gasOf(channels.connect(payee).claim(payer.address, N, s1, E('0.2'), v.v, v.r, v.s));
  check((await earned(payee.address)) === E('0.2'), 'second voucher credits only the increase');
  ci = await closeIntent(payee, id1, E('0.3'));
  await expectRevert(iface, channels.connect(payer).closeCooperative.staticCall(payee.address, N, s1, E('0.3'), ci.v, ci.r, ci.s), 'TooEarlyToSettle', 'cooperative close before the open deadline');
  await pastDeadlines();
  gas.nativeCloseAfterClaim = await gasOf(channels.connect(payer).closeCooperative(payee.address, N, s1, E('0.3'), ci.v, ci.r, ci.s));
  check((await earned(payee.address)) === E('0.3'), 'close after a claim credits final amount minus claimed');

  // steady state: the payee already holds earnings
  let s6 = await newSalt();
  await openNative(payer, payee.address, s6, E('1'));
  v = await voucher(payer, idOf(payer.address, payee.address, N, s6), E('0.1'));
  gas.nativeClaim = await gasOf(channels.connect(payee).claim(payer.address, N, s6, E('0.1'), v.v, v.r, v.s));

  let s2 = await newSalt();
  gas.nativeOpen2 = await openNative(payer, payee.address, s2, E('1'));
  let id2 = idOf(payer.address, payee.address, N, s2);
  ci = await closeIntent(payee, id2, E('0.25'));
  await pastDeadlines();
  const earnedBefore = await earned(payee.address);
  const payerBal = await provider.getBalance(payer.address);
  const cr = await (await channels.connect(payer).closeCooperative(payee.address, N, s2, E('0.25'), ci.v, ci.r, ci.s)).wait();
  gas.nativeClose = Number(cr.gasUsed);
  check((await earned(payee.address)) - earnedBefore === E('0.25'), 'cooperative close credits the payee the final amount');
  check((await provider.getBalance(payer.address)) - payerBal + cr.gasUsed * cr.gasPrice === E('0.75'), 'cooperative close refunds the payer deposit minus final amount (push)');
  const st2 = await channels.channel(id2);
  check(st2[0] === 0n && st2[1] === 0n && st2[2] === 0n, 'settled channel slot is zeroed');

  // claim-then-refund: the payer closes with finalAmount == claimed (no credit, only the refund)
  let s7 = await newSalt();
  await openNative(payer, payee.address, s7, E('1'));
  const id7 = idOf(payer.address, payee.address, N, s7);
  v = await voucher(payer, id7, E('0.2'));
  await (await channels.connect(payee).claim(payer.address, N, s7, E('0.2'), v.v, v.r, v.s)).wait();
  ci = await closeIntent(payee, id7, E('0.2'));
  await pastDeadlines();
  gas.nativeCloseEqClaimed = await gasOf(channels.connect(payer).closeCooperative(payee.address, N, s7, E('0.2'), ci.v, ci.r, ci.s));

  // withdraw earnings: steady state leaves one wei behind; the fresh payee takes everything (slot zeroed)
  const bal = await earned(payee.address);
  const pbw = await provider.getBalance(payee.address);
  const wrr = await (await channels.connect(payee).withdrawEarnings(N, bal - 1n)).wait();
  gas.nativeWithdrawEarnings = Number(wrr.gasUsed);
  check((await provider.getBalance(payee.address)) - pbw + wrr.gasUsed * wrr.gasPrice === bal - 1n, 'withdrawEarnings pays exactly the amount');
  check((await earned(payee.address)) === 1n, 'dust unit left behind');
  const wev = wrr.logs.map((l) => iface.parseLog(l)).find((l) => l?.name === 'EarningsWithdrawn');
  check(wev && wev.args.payee === payee.address && wev.args.token === N && wev.args.amount === bal - 1n, 'EarningsWithdrawn event');
  check(payeeBal0 < (await provider.getBalance(payee.address)), 'payee got its money out');
  gas.nativeWithdrawEarningsAll = await gasOf(channels.connect(payeeFresh).withdrawEarnings(N, E('0.25')));
  check((await earned(payeeFresh.address)) === 0n, 'withdrawing everything zeroes the earnings slot');

  // unilateral close
  let s3 = await newSalt();
  await openNative(payer, payee.address, s3, E('1'));
  let id3 = idOf(payer.address, payee.address, N, s3);
  gas.nativeStartClose = await gasOf(channels.connect(payer).startClose(payee.address, N, s3));
  v = await voucher(payer, id3, E('0.4'));
  gas.nativeClaimWhileClosing = await gasOf(channels.connect(payee).claim(payer.address, N, s3, E('0.4'), v.v, v.r, v.s));
  await expectRevert(iface, channels.connect(payer).withdraw.staticCall(payee.address, N, s3), 'ChallengePeriodActive', 'withdraw before the challenge period ends');
  await provider.send('evm_increaseTime', [CHALLENGE]);
  await provider.send('evm_mine', []);
  v = await voucher(payer, id3, E('0.5'));
  await expectRevert(iface, channels.connect(payee).claim.staticCall(payer.address, N, s3, E('0.5'), v.v, v.r, v.s), 'ChallengePeriodOver', 'claim after the challenge period');
  const pb = await provider.getBalance(payer.address);
  const wr = await (await channels.connect(payer).withdraw(payee.address, N, s3)).wait();
  gas.nativeWithdraw = Number(wr.gasUsed);
  check((await provider.getBalance(payer.address)) - pb + wr.gasUsed * wr.gasPrice === E('0.6'), 'withdraw refunds deposit minus claimed');

  // top up
  let s5 = await newSalt();
  gas.nativeOpenGeneric = await gasOf(channels.connect(payer).open(payee.address, N, s5, E('1'), { value: E('1') }));
  await expectRevert(iface, channels.connect(payer).open.staticCall(payee.address, N, await newSalt(), E('1'), { value: E('0.5') }), 'InvalidValue', 'native open with msg.value != amount');
  await expectRevert(iface, channels.connect(payer).openNative.staticCall(payee.address, (nonce << 64n) | ((await now()) - 1n), { value: E('1') }), 'OpenDeadlinePassed', 'open after the salt deadline');
  await expectRevert(iface, channels.connect(payer).openNative.staticCall(payee.address, (nonce << 64n) | ((await now()) + 2n * 86400n), { value: E('1') }), 'OpenDeadlineTooFar', 'open deadline beyond MAX_OPEN_WINDOW');
  let s4 = await newSalt();
  await openNative(payer, payee.address, s4, E('1'));
  gas.nativeTopUp = await gasOf(channels.connect(payer).topUp(payee.address, N, s4, E('0.5'), { value: E('0.5') }));

  // batch claim: 20 payers -> one payee. The first batch creates payee2's earnings slot, the second is steady state.
  const batch = async (tokenAddr) => {
    const items = [];
    for (const p of batchPayers) {
      const s = await newSalt();
      await (await (tokenAddr === N ? channels.connect(p).openNative(payee2.address, s, { value: E('1') }) : channels.connect(p).open(payee2.address, tokenAddr, s, E('1')))).wait();
      const id = idOf(p.address, payee2.address, tokenAddr, s);
      const sg = await voucher(p, id, E('0.123456789'));
      items.push({ payer: p.address, salt: s, cumulativeAmount: E('0.123456789'), v: sg.v, r: sg.r, s: sg.s });
    }
    const before = await earned(payee2.address, tokenAddr);
    const g = await gasOf(channels.connect(payee2).claimBatch(tokenAddr, items));
    check((await earned(payee2.address, tokenAddr)) - before === 20n * E('0.123456789'), `batch claim credits the sum of 20 vouchers (${tokenAddr === N ? 'native' : 'ERC-20'})`);
    return g;
  };
  gas.nativeBatch20First = await batch(N);
  gas.nativeBatch20 = await batch(N);

  // ------------------------------------------------------------ ERC-20 gas (steady state: balances already non-zero)
  for (const p of [payer, ...batchPayers]) {
    await (await token.mint(p.address, E('1000'))).wait();
    await (await token.connect(p).approve(chAddr, E('1000000'))).wait();
  }
  await (await token.mint(payee.address, 1n)).wait();
  await (await token.mint(payee2.address, 1n)).wait();
  await (await token.mint(chAddr, 1n)).wait(); // contract's token balance slot already used (steady state)
  let t1 = await newSalt();
  gas.tokenOpen = await gasOf(channels.connect(payer).open(payee.address, tokAddr, t1, E('1')));
  let tid1 = idOf(payer.address, payee.address, tokAddr, t1);
  v = await voucher(payer, tid1, E('0.1'));
  gas.tokenClaimFirst = await gasOf(channels.connect(payee).claim(payer.address, tokAddr, t1, E('0.1'), v.v, v.r, v.s));
  v = await voucher(payer, tid1, E('0.2'));
  gas.tokenClaim = await gasOf(channels.connect(payee).claim(payer.address, tokAddr, t1, E('0.2'), v.v, v.r, v.s));
  let t2 = await newSalt();
  gas.tokenOpen2 = await gasOf(channels.connect(payer).open(payee.address, tokAddr, t2, E('1')));
  ci = await closeIntent(payee, idOf(payer.address, payee.address, tokAddr, t2), E('0.25'));
  await pastDeadlines();
  gas.tokenClose = await gasOf(channels.connect(payer).closeCooperative(payee.address, tokAddr, t2, E('0.25'), ci.v, ci.r, ci.s));
  check((await earned(payee.address, tokAddr)) === E('0.45'), 'ERC-20 claims and close credited to token earnings');
  const tb = await token.balanceOf(payee.address);
  gas.tokenWithdrawEarnings = await gasOf(channels.connect(payee).withdrawEarnings(tokAddr, E('0.45') - 1n));
  check((await token.balanceOf(payee.address)) - tb === E('0.45') - 1n && (await earned(payee.address, tokAddr)) === 1n, 'ERC-20 withdrawEarnings pays exactly the amount, dust left');
  gas.tokenBatch20First = await batch(tokAddr);
  gas.tokenBatch20 = await batch(tokAddr);

  // ------------------------------------------------------------ registry and notary gas
  const OT = { OwnershipTransfer: [
    { name: 'deviceId', type: 'bytes32' }, { name: 'from', type: 'address' }, { name: 'to', type: 'address' },
    { name: 'nonce', type: 'uint256' }, { name: 'deadline', type: 'uint256' }] };
  const regAddr = await registry.getAddress();
  const regIface = registry.interface;
  const dev = ethers.id('device-1');
  const cert1 = ethers.id('cert-1');
  const cert2 = ethers.id('cert-2');
  gas.registerDevice = await gasOf(registry.connect(payee).registerDevice(dev, cert1));
  gas.anchorCertificate = await gasOf(registry.connect(payee).anchorCertificate(dev, cert2));
  gas.revokeCertificate = await gasOf(registry.connect(payee).revokeCertificate(cert1));
  check((await registry.isCertificateValid(cert1)) === false && (await registry.isCertificateValid(cert2)) === true, 'revoked certificate invalid, other valid');
  check((await registry.ownerOf(dev)) === payee.address, 'owner recorded');
  const deadline = BigInt((await provider.getBlock('latest')).timestamp) + 3600n;
  const otValue = { deviceId: dev, from: payee.address, to: other.address, nonce: 0n, deadline };
  const regDomain = domain(regAddr);
  const fromSig = await sig(payee, OT, otValue, regDomain);
  const toSig = await sig(other, OT, otValue, regDomain);
  check((await registry.ownershipTransferDigest(dev, payee.address, other.address, 0n, deadline)) === ethers.TypedDataEncoder.hash(regDomain, OT, otValue), 'ownership transfer digest matches EIP-712');

  console.log('# attacks: device registry');
  await expectRevert(regIface, registry.transferOwnership.staticCall(dev, other.address, deadline, fromSig.v, fromSig.r, fromSig.s, fromSig.v, fromSig.r, fromSig.s), 'InvalidSignature', 'ownership transfer with the new owner\'s signature missing (current owner signed twice)');
  await expectRevert(regIface, registry.transferOwnership.staticCall(dev, other.address, deadline, toSig.v, toSig.r, toSig.s, toSig.v, toSig.r, toSig.s), 'InvalidSignature', 'ownership transfer with the current owner\'s signature missing (new owner signed twice)');
  await expectRevert(regIface, registry.transferOwnership.staticCall(dev, attacker.address, deadline, fromSig.v, fromSig.r, fromSig.s, toSig.v, toSig.r, toSig.s), 'InvalidSignature', 'ownership transfer redirected to another new owner');
  await expectRevert(regIface, registry.connect(other).anchorCertificate.staticCall(dev, ethers.id('x')), 'NotOwner', 'non-owner cannot anchor');
  gas.transferOwnership = await gasOf(registry.connect(attacker).transferOwnership(dev, other.address, deadline, fromSig.v, fromSig.r, fromSig.s, toSig.v, toSig.r, toSig.s));
  check((await registry.ownerOf(dev)) === other.address, 'ownership transferred with both signatures (submitted by a third party)');
  await expectRevert(regIface, registry.transferOwnership.staticCall(dev, other.address, deadline, fromSig.v, fromSig.r, fromSig.s, toSig.v, toSig.r, toSig.s), 'InvalidNewOwner', 'ownership transfer replay');
  await expectRevert(regIface, registry.connect(payee).revokeCertificate.staticCall(cert2), 'NotOwner', 'previous owner cannot revoke after transfer');

  gas.notaryAnchor = await gasOf(notary.anchor(42n, ethers.id('root-1'), 1024));
  gas.notaryAnchorStored = await gasOf(notary.anchorStored(43n, ethers.id('root-2'), 1024));
  const an = await notary.anchored(ethers.id('root-2'));
  check(an[0] === deployer.address && an[1] === 1024n, 'stored anchor readable');

  // ------------------------------------------------------------ channel attacks
  console.log('# attacks: channels');
  let a = await newSalt();
  await openNative(payer, payee.address, a, E('1'));
  const aid = idOf(payer.address, payee.address, N, a);
  let b = await newSalt();
  await openNative(payer, payee.address, b, E('1'));
  await (await channelsB.connect(payer).openNative(payee.address, a, { value: E('1') })).wait();
  const good = await voucher(payer, aid, E('0.3'));
  const claimA = (amt, sg, who = payee, s = a, c = channels) => c.connect(who).claim.staticCall(payer.address, N, s, amt, sg.v, sg.r, sg.s);

  await expectRevert(iface, claimA(E('0.3'), await voucher(attacker, aid, E('0.3'))), 'InvalidSignature', 'voucher signed by the wrong key');
  await expectRevert(iface, claimA(E('0.3'), await voucher(payee, aid, E('0.3'))), 'InvalidSignature', 'voucher signed by the payee itself');
  await expectRevert(iface, claimA(E('0.3'), good, payee, b), 'InvalidSignature', 'voucher replayed on another channel (same parties, other salt)');
  await expectRevert(iface, claimA(E('0.3'), good, payee, a, channelsB), 'InvalidSignature', 'voucher replayed on another contract');
  await expectRevert(iface, claimA(E('0.3'), await voucher(payer, aid, E('0.3'), domain(chAddr, 1n))), 'InvalidSignature', 'voucher signed for another chain id');
  await expectRevert(iface, claimA(E('0.4'), good), 'InvalidSignature', 'voucher amount altered');
  await expectRevert(iface, claimA(E('0.3'), good, attacker), 'ChannelNotOpen', 'voucher claimed by someone other than the payee (id derives from msg.sender)');
  await expectRevert(iface, claimA(E('1.5'), await voucher(payer, aid, E('1.5'))), 'AmountExceedsDeposit', 'claim above deposit');
  const hiS = { v: good.v === 27 ? 28 : 27, r: good.r, s: ethers.toBeHex(ethers.N - BigInt(good.s), 32) };
  await expectRevert(iface, claimA(E('0.3'), hiS), 'InvalidSignature', 'malleated (high-s) voucher signature');
  await expectRevert(iface, claimA(E('0.3'), { v: good.v + 2, r: good.r, s: good.s }), 'InvalidSignature', 'v not 27/28');
  await expectRevert(iface, claimA(E('0.3'), { v: 27, r: ethers.ZeroHash, s: ethers.ZeroHash }), 'InvalidSignature', 'unrecoverable signature (zero address)');
  const closeAsVoucher = await closeIntent(payer, aid, E('0.3'));
  await expectRevert(iface, claimA(E('0.3'), closeAsVoucher), 'InvalidSignature', 'payer-signed CloseIntent used as a voucher');
  const ebA = await earned(payee.address);
  await (await channels.connect(payee).claim(payer.address, N, a, E('0.3'), good.v, good.r, good.s)).wait();
  check((await earned(payee.address)) - ebA === E('0.3'), 'valid claim credits exactly the voucher amount');
  await expectRevert(iface, claimA(E('0.3'), good), 'VoucherNotNewer', 'second claim of the same voucher');
  const lower = await voucher(payer, aid, E('0.2'));
  await expectRevert(iface, claimA(E('0.2'), lower), 'VoucherNotNewer', 'older (lower) voucher after a newer one');
  const v5 = await voucher(payer, aid, E('0.5'));
  const rc2 = await (await channels.connect(payee).claim(payer.address, N, a, E('0.5'), v5.v, v5.r, v5.s)).wait();
  const ev = rc2.logs.map((l) => iface.parseLog(l)).find((l) => l?.name === 'ChannelClaimed');
  check(ev && ev.args.cumulativeClaimed === E('0.5') && (await earned(payee.address)) - ebA === E('0.5'), 'only the increase is credited (cumulative 0.5 after 0.3)');

  console.log('# attacks: earnings');
  const eb = await earned(payee.address);
  await expectRevert(iface, channels.connect(payee).withdrawEarnings.staticCall(N, eb + 1n), 'InsufficientEarnings', 'withdrawing more than earned');
  await expectRevert(iface, channels.connect(payee).withdrawEarnings.staticCall(N, 0n), 'InvalidAmount', 'withdrawing zero');
  await expectRevert(iface, channels.connect(attacker).withdrawEarnings.staticCall(N, 1n), 'InsufficientEarnings', 'someone else\'s earnings cannot be withdrawn (balance is keyed by msg.sender)');
  await expectRevert(iface, channels.connect(payee).withdrawEarnings.staticCall(tokAddr, 2n), 'InsufficientEarnings', 'native earnings cannot be withdrawn as a token');
  check((await earned(payee.address)) === eb, 'payee earnings untouched by the failed attempts');

  // close intents
  await pastDeadlines();
  const ciA = await closeIntent(payee, aid, E('0.6'));
  await expectRevert(iface, channels.connect(payer).closeCooperative.staticCall(payee.address, N, b, E('0.6'), ciA.v, ciA.r, ciA.s), 'InvalidSignature', 'close intent replayed on another channel');
  await expectRevert(iface, channels.connect(payer).closeCooperative.staticCall(payee.address, N, a, E('0.6'), v5.v, v5.r, v5.s), 'InvalidSignature', 'payer voucher used as a close intent');
  const vAsClose = await voucher(payee, aid, E('0.6'));
  await expectRevert(iface, channels.connect(payer).closeCooperative.staticCall(payee.address, N, a, E('0.6'), vAsClose.v, vAsClose.r, vAsClose.s), 'InvalidSignature', 'payee-signed Voucher type used as a close intent');
  await expectRevert(iface, channelsB.connect(payer).closeCooperative.staticCall(payee.address, N, a, E('0.6'), ciA.v, ciA.r, ciA.s), 'InvalidSignature', 'close intent replayed on another contract');
  const ciLow = await closeIntent(payee, aid, E('0.1'));
  await expectRevert(iface, channels.connect(payer).closeCooperative.staticCall(payee.address, N, a, E('0.1'), ciLow.v, ciLow.r, ciLow.s), 'VoucherNotNewer', 'close below already claimed');
  await (await channels.connect(payer).closeCooperative(payee.address, N, a, E('0.6'), ciA.v, ciA.r, ciA.s)).wait();
  await expectRevert(iface, channels.connect(payer).closeCooperative.staticCall(payee.address, N, a, E('0.6'), ciA.v, ciA.r, ciA.s), 'ChannelNotOpen', 'close intent replayed on the closed channel');
  const v7 = await voucher(payer, aid, E('0.7'));
  await expectRevert(iface, claimA(E('0.7'), v7), 'ChannelNotOpen', 'claim after cooperative close');
  await expectRevert(iface, channels.connect(payer).openNative.staticCall(payee.address, a, { value: E('1') }), 'OpenDeadlinePassed', 'settled channel id cannot be reopened (its open deadline has passed)');

  // claim after payer withdrew
  let c = await newSalt();
  await openNative(payer, payee.address, c, E('1'));
  const cid = idOf(payer.address, payee.address, N, c);
  const vc = await voucher(payer, cid, E('0.2'));
  await (await channels.connect(payer).startClose(payee.address, N, c)).wait();
  await expectRevert(iface, channels.connect(payer).topUp.staticCall(payee.address, N, c, 1n, { value: 1n }), 'ChannelClosing', 'top-up while closing');
  await provider.send('evm_increaseTime', [CHALLENGE + 1]);
  await provider.send('evm_mine', []);
  await (await channels.connect(payer).withdraw(payee.address, N, c)).wait();
  await expectRevert(iface, channels.connect(payee).claim.staticCall(payer.address, N, c, E('0.2'), vc.v, vc.r, vc.s), 'ChannelNotOpen', 'claim after the payer withdrew');
  await expectRevert(iface, channels.connect(payer).withdraw.staticCall(payee.address, N, c), 'ChannelNotOpen', 'second withdraw');
  await expectRevert(iface, channels.connect(attacker).withdraw.staticCall(payee.address, N, c), 'ChannelNotOpen', 'withdraw by a stranger');

  // batch: a bad item fails the whole batch
  let d1 = await newSalt();
  await openNative(payer, payee.address, d1, E('1'));
  const did = idOf(payer.address, payee.address, N, d1);
  const gd = await voucher(payer, did, E('0.1'));
  const item = { payer: payer.address, salt: d1, cumulativeAmount: E('0.1'), v: gd.v, r: gd.r, s: gd.s };
  await expectRevert(iface, channels.connect(payee).claimBatch.staticCall(N, [item, item]), 'VoucherNotNewer', 'same voucher twice in one batch');
  await expectRevert(iface, channels.connect(payee).claimBatch.staticCall(N, [item, { ...item, cumulativeAmount: E('0.2') }]), 'InvalidSignature', 'forged item in a batch');

  // re-entrant ERC-20: the token contract is itself the payee (claims) or the payer (withdraws) and re-enters on transfer
  console.log('# attacks: re-entrant ERC-20');
  await (await evil.mint(payer.address, E('10'))).wait();
  await (await evil.connect(payer).approve(chAddr, E('10'))).wait();
  let r1 = await newSalt();
  await (await channels.connect(payer).open(evilAddr, evilAddr, r1, E('1'))).wait();
  const rid = idOf(payer.address, evilAddr, evilAddr, r1);
  const rv1 = await voucher(payer, rid, E('0.3'));
  const rv2 = await voucher(payer, rid, E('0.6'));
  const claimData = (amt, sg) => iface.encodeFunctionData('claim', [payer.address, evilAddr, r1, amt, sg.v, sg.r, sg.s]);
  const evilBal0 = await evil.balanceOf(evilAddr);
  await (await evil.exec(chAddr, claimData(E('0.3'), rv1))).wait();
  check((await evil.balanceOf(evilAddr)) === evilBal0 && (await earned(evilAddr, evilAddr)) === E('0.3'), 'token claim makes no token call, only credits earnings');
  const wdE = (amt, tok = evilAddr) => iface.encodeFunctionData('withdrawEarnings', [tok, amt]);
  await (await evil.arm(chAddr, claimData(E('0.6'), rv2))).wait();
  await (await evil.exec(chAddr, wdE(E('0.1')))).wait();
  check((await evil.reentryAttempted()) && !(await evil.reentrySucceeded()), 'token re-entering claim() during the withdrawEarnings transfer is rejected');
  check(iface.parseError(await evil.reentryRevertData())?.name === 'Reentrancy', 'the re-entry fails with Reentrancy');
  check((await channels.channel(rid))[1] === E('0.3'), 'the re-entrant claim left no trace');
  await (await evil.arm(chAddr, wdE(E('0.2')))).wait();
  await (await evil.exec(chAddr, wdE(E('0.2')))).wait();
  check((await evil.reentryAttempted()) && !(await evil.reentrySucceeded()) && iface.parseError(await evil.reentryRevertData())?.name === 'Reentrancy', 'token re-entering withdrawEarnings() during its own transfer is rejected with Reentrancy');
  check((await evil.balanceOf(evilAddr)) - evilBal0 === E('0.3') && (await earned(evilAddr, evilAddr)) === 0n, 're-entrant token was paid exactly its earnings, once');
  // native earnings: the same contract is the payee of a native channel and re-enters from receive()
  let rn = await newSalt();
  await openNative(payer, evilAddr, rn, E('1'));
  const rnv = await voucher(payer, idOf(payer.address, evilAddr, N, rn), E('0.4'));
  await (await evil.exec(chAddr, iface.encodeFunctionData('claim', [payer.address, N, rn, E('0.4'), rnv.v, rnv.r, rnv.s]))).wait();
  const evilEth = await provider.getBalance(evilAddr);
  await (await evil.arm(chAddr, wdE(E('0.2'), N))).wait();
  await (await evil.exec(chAddr, wdE(E('0.2'), N))).wait();
  check((await evil.reentryAttempted()) && !(await evil.reentrySucceeded()) && iface.parseError(await evil.reentryRevertData())?.name === 'Reentrancy', 'contract payee re-entering withdrawEarnings() from receive() (native) is rejected with Reentrancy');
  check((await provider.getBalance(evilAddr)) - evilEth === E('0.2') && (await earned(evilAddr, N)) === E('0.2'), 'native withdrawal paid once, rest still credited');
  // payer side: the token opens a channel as payer, then re-enters withdraw during the refund transfer
  await (await evil.mint(evilAddr, E('5'))).wait();
  await (await evil.exec(evilAddr, evil.interface.encodeFunctionData('approve', [chAddr, E('5')]))).wait();
  let r2 = await newSalt();
  await (await evil.exec(chAddr, iface.encodeFunctionData('open', [payee.address, evilAddr, r2, E('2')]))).wait();
  await (await evil.exec(chAddr, iface.encodeFunctionData('startClose', [payee.address, evilAddr, r2]))).wait();
  await provider.send('evm_increaseTime', [CHALLENGE + 1]);
  await provider.send('evm_mine', []);
  const wd = iface.encodeFunctionData('withdraw', [payee.address, evilAddr, r2]);
  const before = await evil.balanceOf(evilAddr);
  await (await evil.arm(chAddr, wd)).wait();
  await (await evil.exec(chAddr, wd)).wait();
  check((await evil.reentryAttempted()) && !(await evil.reentrySucceeded()), 'token re-entering withdraw() during the refund is rejected');
  check((await evil.balanceOf(evilAddr)) - before === E('2'), 'refund paid exactly once');
  // re-entry during transferFrom on open
  let r3 = await newSalt();
  await (await evil.arm(chAddr, iface.encodeFunctionData('open', [payee.address, evilAddr, r3 + 1000n, E('1')]))).wait();
  await (await evil.exec(chAddr, iface.encodeFunctionData('open', [payee.address, evilAddr, r3, E('1')]))).wait();
  check((await evil.reentryAttempted()) && !(await evil.reentrySucceeded()), 'token re-entering open() during transferFrom is rejected');

  // ------------------------------------------------------------ report
  const per = (x) => Math.round(x / 20);
  const openClose = gas.nativeOpen2 + gas.nativeClose;
  const rows = [
    ['open (`openNative`; ERC-20: `open`)', gas.nativeOpen, gas.tokenOpen, ''],
    ['open via generic `open(payee, 0x0, salt, amount)`', gas.nativeOpenGeneric, '', ''],
    ['cooperative close (no earlier claim), steady state', gas.nativeClose, gas.tokenClose, ''],
    ['**open + cooperative close**, steady state', openClose, gas.tokenOpen2 + gas.tokenClose, `≤ ${TARGETS.openClose}`],
    ['open + cooperative close, first ever (payee earnings slot empty)', gas.nativeOpenFirst + gas.nativeCloseFirst, '', '(reported)'],
    ['**claim** (single channel), steady state', gas.nativeClaim, gas.tokenClaim, `≤ ${TARGETS.claim}`],
    ['claim, first ever (payee earnings slot empty)', gas.nativeClaimFirst, gas.tokenClaimFirst, '(reported)'],
    ['claim (second voucher, same channel)', gas.nativeClaim2, '', ''],
    ['**batch claim, 20 channels, per channel**, steady state', per(gas.nativeBatch20), per(gas.tokenBatch20), `≤ ${TARGETS.batchPerChannel}`],
    ['batch claim, 20 channels, whole tx, steady state', gas.nativeBatch20, gas.tokenBatch20, ''],
    ['batch claim, 20 channels, per channel, first ever', per(gas.nativeBatch20First), per(gas.tokenBatch20First), '(reported)'],
    ['withdrawEarnings, leaving 1 unit (steady state)', gas.nativeWithdrawEarnings, gas.tokenWithdrawEarnings, ''],
    ['withdrawEarnings, everything (slot zeroed)', gas.nativeWithdrawEarningsAll, '', ''],
    ['top up', gas.nativeTopUp, '', ''],
    ['cooperative close after a claim', gas.nativeCloseAfterClaim, '', ''],
    ['cooperative close with finalAmount == claimed (claim-then-refund)', gas.nativeCloseEqClaimed, '', ''],
    ['start close (payer)', gas.nativeStartClose, '', ''],
    ['claim during challenge period', gas.nativeClaimWhileClosing, '', ''],
    ['withdraw after challenge period', gas.nativeWithdraw, '', ''],
  ];
  console.log('\n## IotpayChannels gas (anvil, receipts\' gasUsed)\n');
  console.log('| operation | native coin | ERC-20 | target |');
  console.log('|---|---:|---:|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log('\n## DeviceRegistry and Notary gas\n');
  console.log('| operation | gas |');
  console.log('|---|---:|');
  for (const k of ['registerDevice', 'anchorCertificate', 'revokeCertificate', 'transferOwnership', 'notaryAnchor', 'notaryAnchorStored']) {
    console.log(`| ${k} | ${gas[k]} |`);
  }
  console.log('');
  check(openClose <= TARGETS.openClose, `native open + cooperative close ${openClose} <= ${TARGETS.openClose}`);
  check(gas.nativeClaim <= TARGETS.claim, `native claim ${gas.nativeClaim} <= ${TARGETS.claim}`);
  check(per(gas.nativeBatch20) <= TARGETS.batchPerChannel, `native batch claim per channel ${per(gas.nativeBatch20)} <= ${TARGETS.batchPerChannel}`);
  check(gas.tokenClaim <= TARGETS.claim, `ERC-20 claim ${gas.tokenClaim} <= ${TARGETS.claim}`);
  check(per(gas.tokenBatch20) <= TARGETS.batchPerChannel, `ERC-20 batch claim per channel ${per(gas.tokenBatch20)} <= ${TARGETS.batchPerChannel}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
