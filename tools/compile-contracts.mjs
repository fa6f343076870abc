#!/usr/bin/env node
// Compiles the IOTPAY Solidity contracts with the pinned solc-js (package.json) and writes one artifact JSON per
// contract. With --check it compiles in memory and fails if any committed artifact differs (reproducibility check).
//
//   node tools/compile-contracts.mjs          write artifacts
//   node tools/compile-contracts.mjs --check  verify committed artifacts, exit 1 on any difference
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const solc = require('solc');

const TOOLS = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(TOOLS, '..');
const MODULE = join(REPO, 'bundles', 'io.iotpay.chain.evm');

/** Compiler settings: changing any of these changes the committed artifacts (and is recorded in them). */
export const SETTINGS = Object.freeze({
  evmVersion: 'cancun',
  optimizer: { enabled: true, runs: 1000000 },
  viaIR: false,
  metadata: { bytecodeHash: 'none', appendCBOR: false },
});
export const EXPECTED_SOLC = '0.8.37+commit.f401782d';

/** Source sets: main contracts ship at runtime, test contracts only to tests. */
const SETS = [
  {
    name: 'main',
    src: join(MODULE, 'src', 'main', 'solidity'),
    out: join(MODULE, 'src', 'main', 'resources', 'contracts'),
  },
  {
    name: 'test',
    src: join(MODULE, 'src', 'test', 'solidity'),
    out: join(MODULE, 'src', 'test', 'resources', 'contracts'),
  },
];

function sha256(text) {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** JSON with recursively sorted object keys (arrays keep their order), two-space indent, trailing newline. */
function stableStringify(value) {
  const sort = (v) => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k])]));
    }
    return v;
  };
  return JSON.stringify(sort(value), null, 2) + '\n';
}

function compileSet(set) {
  const files = readdirSync(set.src).filter((f) => f.endsWith('.sol')).sort();
  const sources = {};
  for (const f of files) sources[f] = { content: readFileSync(join(set.src, f), 'utf8') };
  const input = {
    language: 'Solidity',
    sources,
    settings: {
      ...SETTINGS,
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (output.errors || []).filter((e) => e.severity === 'error');
  // 2394: the transient-storage notice; the only transient slot is a reentrancy lock cleared before each return.
  for (const e of output.errors || []) {
    if (e.errorCode !== '2394') process.stderr.write(`${e.severity}: ${e.formattedMessage}\n`);
  }
  if (errors.length) throw new Error(`compilation of ${set.name} contracts failed`);

  const artifacts = {};
  for (const file of files) {
    for (const [name, c] of Object.entries(output.contracts[file] || {})) {
      artifacts[name] = stableStringify({
        contractName: name,
        sourceName: file,
        sourceSha256: sha256(sources[file].content),
        compiler: { name: 'solc-js', version: solc.version() },
        settings: SETTINGS,
        abi: c.abi,
        bytecode: '0x' + c.evm.bytecode.object,
        deployedBytecode: '0x' + c.evm.deployedBytecode.object,
      });
    }
  }
  return artifacts;
}

function main() {
  const check = process.argv.includes('--check');
  const version = solc.version().replace(/\.Emscripten.*$/, '');
  if (version !== EXPECTED_SOLC) {
    throw new Error(`solc ${solc.version()} installed, ${EXPECTED_SOLC} expected: run 'npm ci' in tools/`);
  }
  const problems = [];
  let count = 0;
  for (const set of SETS) {
    const artifacts = compileSet(set);
    if (!check) mkdirSync(set.out, { recursive: true });
    const expected = new Set(Object.keys(artifacts).map((n) => `${n}.json`));
    for (const [name, json] of Object.entries(artifacts)) {
      const path = join(set.out, `${name}.json`);
      count++;
      if (check) {
        if (!existsSync(path)) problems.push(`missing artifact ${relative(REPO, path)}`);
        else if (readFileSync(path, 'utf8') !== json) problems.push(`artifact differs from a fresh compile: ${relative(REPO, path)}`);
      } else {
        writeFileSync(path, json);
      }
    }
    if (existsSync(set.out)) {
      for (const f of readdirSync(set.out).filter((f) => f.endsWith('.json'))) {
        if (!expected.has(f)) problems.push(`stale artifact without a source contract: ${relative(REPO, join(set.out, f))}`);
      }
    }
  }
  if (problems.length) {
    process.stderr.write(
      `Contract artifacts are not reproducible from the sources (solc ${solc.version()}):\n` +
        problems.map((p) => `  - ${p}\n`).join('') +
        `Run 'node tools/compile-contracts.mjs' and commit the artifacts.\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`${check ? 'checked' : 'wrote'} ${count} contract artifacts (solc ${solc.version()})\n`);
}

main();
