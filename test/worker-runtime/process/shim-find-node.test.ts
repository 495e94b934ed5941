// Which node the Python shim starts (worker-runtime/python/tsapply_shim.py, `_find_node`):
// the driver's policy ('auto' | 'ship' | 'local' | a path) against what the executor has —
// a node on PATH, the runtime tsapply shipped (an archive Spark unpacked in the working
// folder) — and the executor description the driver's probe reads. Runs the real shim in
// a real Python with real files and PATHs; the shipped "node" is a small script that
// answers --version, so its hash and permissions are those of a real file.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fromShim, testPython } from './shim-harness.ts';

const ARCHIVE = 'tsapply-node-v22.0.0-linux-x64-glibc-0123456789ab.tar.gz';
let dir: string;
let shippedNode: string;
let sha256: string;
/** A folder with a `node` that reports v22 (the executor's own), and one without. */
let withNode: string;
let withoutNode: string;
/** An absolute path: the tests run it with PATHs that have no python. */
let python: string;

function writeNode(path: string, version: string, mode: number): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `#!/bin/sh\necho ${version}\n`);
  chmodSync(path, mode);
}

before(async () => {
  const found = await testPython();
  if ('skip' in found) throw new Error(found.skip);
  python = found.python;
  dir = mkdtempSync(join(tmpdir(), 'tsapply-find-node-'));
  shippedNode = join(dir, ARCHIVE, 'node', 'bin', 'node');
  // Unpacked without its executable bit, as some unpackers leave files.
  writeNode(shippedNode, 'v22.0.0', 0o644);
  sha256 = createHash('sha256').update(readFileSync(shippedNode)).digest('hex');
  withNode = join(dir, 'bin-with-node');
  writeNode(join(withNode, 'node'), 'v24.1.0', 0o755);
  withoutNode = join(dir, 'bin-without-node');
  mkdirSync(withoutNode);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** `_find_node(options)` run in `dir` (the executor's working folder) with PATH = `path`: the path it picked, or the error. */
function findNode(options: Record<string, unknown>, path: string): { node?: string; reason?: string; message?: string } {
  const code = [
    `import os; os.chdir(${JSON.stringify(dir)})`,
    'try:',
    `    print(json.dumps({"node": shim._find_node(json.loads(${JSON.stringify(JSON.stringify(options))}))}))`,
    'except shim.TsapplySetupError as e:',
    '    print(json.dumps({"reason": e.details["reason"], "message": e.user_message}))',
  ].join('\n');
  const env = { ...process.env, PATH: path };
  delete env.TSAPPLY_NODE;
  return fromShim(code, python, env) as never;
}

const shipped = () => ({ archive: ARCHIVE, path: 'node/bin/node', sha256 });

describe("the shim's choice of node", () => {
  it("'ship' runs the shipped runtime even where a node exists, after making it executable", () => {
    assert.deepEqual(findNode({ policy: 'ship', shipped: shipped() }, withNode), { node: shippedNode });
    assert.equal(statSync(shippedNode).mode & 0o111, 0o111);
  });

  it("'auto' prefers the executor's own node, and falls back to the shipped one", () => {
    assert.deepEqual(findNode({ policy: 'auto', shipped: shipped() }, withNode), { node: join(withNode, 'node') });
    assert.deepEqual(findNode({ policy: 'auto', shipped: shipped() }, withoutNode), { node: shippedNode });
  });

  it('a shipped binary whose hash differs is refused, never run', () => {
    const r = findNode({ policy: 'ship', shipped: { ...shipped(), sha256: 'ab'.repeat(32) } }, withoutNode);
    assert.equal(r.reason, 'NODE_RUNTIME_CORRUPT');
    assert.match(r.message!, new RegExp(`shipped Node\\.js runtime ${shippedNode.replace(/[.]/g, '\\.')} is corrupted: sha256 ${sha256}, expected (ab){32}`));
  });

  it('an archive that is not unpacked says where it looked', () => {
    const r = findNode({ policy: 'ship', shipped: { ...shipped(), archive: 'tsapply-node-missing.tar.gz' } }, withoutNode);
    assert.equal(r.reason, 'ARTIFACT_MISSING');
    assert.ok(r.message!.includes(join(dir, 'tsapply-node-missing.tar.gz', 'node', 'bin', 'node')), r.message);
  });

  it("'local' with no node on PATH says shipping is off and how to turn it on", () => {
    const r = findNode({ policy: 'local', shipped: null }, withoutNode);
    assert.equal(r.reason, 'NODE_MISSING');
    assert.match(r.message!, /'node' was not found on PATH \(PATH=.*bin-without-node\)\. Shipping Node is turned off \(--executor-node local\)/);
  });

  it('a path given on the driver is used as is, and refused when it is too old', () => {
    assert.deepEqual(findNode({ node: join(withNode, 'node'), policy: 'auto', shipped: null }, withoutNode), { node: join(withNode, 'node') });
    const old = join(dir, 'old', 'node');
    writeNode(old, 'v18.19.0', 0o755);
    const r = findNode({ node: old, policy: 'auto', shipped: null }, withNode);
    assert.equal(r.reason, 'NODE_TOO_OLD');
    assert.match(r.message!, /reports version 'v18\.19\.0'\. Point --executor-node at a Node\.js 20\+ binary/);
  });
});

describe("the executor description the driver's probe reads", () => {
  it("reports this machine's OS, architecture, libc, Python and node", () => {
    const env = { ...process.env, PATH: withNode };
    delete env.TSAPPLY_NODE;
    const d = fromShim('print(json.dumps(shim.describe_executor()))', python, env);
    assert.equal(d.system, process.platform);
    assert.equal(d.machine, process.arch === 'x64' ? 'x86_64' : 'aarch64');
    assert.equal(d.libc, 'glibc');
    assert.match(String(d.libcVersion), /^2\.\d+$/);
    assert.match(String(d.python), /^3\.\d+$/);
    assert.equal(d.node, join(withNode, 'node'));
    assert.equal(d.nodeVersion, 'v24.1.0');
  });
});
