// The hand-written pickle is checked by unpickling it with real Python.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDDL } from '@tsapply/common';
import {
  buildShimCommand,
  pickleCall,
  shimModule,
  sparkSchemaJson,
} from '../../../packages/tsapply/dist/spark/pickle-command.js';
import type { ShimCommandSpec } from '../../../packages/tsapply/dist/spark/pickle-command.js';
import { testPython } from '../../worker-runtime/process/shim-harness.js';

const py = await testPython();
const skip = 'skip' in py ? py.skip : false;
const python = 'python' in py ? py.python : '';

/** Runs Python code with the pickle bytes at sys.argv[1]; returns stdout. */
function runPython(code: string, bytes: Uint8Array, extraPath?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsapply-pickle-'));
  try {
    const file = join(dir, 'cmd.pkl');
    writeFileSync(file, bytes);
    const r = spawnSync(python, ['-c', code, file], {
      encoding: 'utf8',
      env: { ...process.env, PYTHONPATH: extraPath ?? '' },
    });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SPEC: ShimCommandSpec = {
  mode: 'grouped',
  payload: { file: 'tsapply-payload-0123456789abcdef.bin', sha256: 'ab'.repeat(32) },
  worker: { file: 'tsapply-worker-fedcba9876543210.cjs', sha256: 'cd'.repeat(32) },
  schemaDDL: 'g string, n bigint',
  schemaJson: sparkSchemaJson(parseDDL('g string, n bigint')),
  groupColumns: ['g', 'région'],
  nodeOptions: { args: ['--max-old-space-size=2048'], env: { TZ: 'UTC' } },
};

describe('pickleCall', () => {
  it('writes PROTO 3, GLOBAL, a MARK…TUPLE of arguments, REDUCE and STOP', () => {
    const bytes = Buffer.from(pickleCall('m', 'f', [1]));
    assert.equal(bytes.toString('hex'), '8003' + '63' + Buffer.from('m\nf\n').toString('hex') + '28' + '4a01000000' + '74' + '52' + '2e');
  });

  it('refuses names that are not Python identifiers', () => {
    assert.throws(() => pickleCall('os;x', 'f', []), { message: 'Not a Python identifier: "os;x"' });
    assert.throws(() => pickleCall('m', 'f\nsystem', []), { message: 'Not a Python identifier: "f\\nsystem"' });
  });

  it('round-trips every supported value through real Python', { skip }, () => {
    const bytes = pickleCall('builtins', 'tuple', [
      [0, 1, -1, 255, 65_536, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 40, -(2 ** 40), 2n ** 70n, -(2n ** 70n), 127n, 128n, -128n, -129n,
        1.5, -0.1, 'héllo 🌍', '', true, false, null, new Uint8Array([0, 1, 255]), { a: [1, { b: 'c' }], e: {} }, []],
    ]);
    const out = runPython('import pickle, sys; print(repr(pickle.loads(open(sys.argv[1], "rb").read())))', bytes);
    assert.equal(
      out,
      "(0, 1, -1, 255, 65536, 2147483647, -2147483648, 2147483648, 1099511627776, -1099511627776, 1180591620717411303424, " +
        "-1180591620717411303424, 127, 128, -128, -129, 1.5, -0.1, 'héllo 🌍', '', True, False, None, b'\\x00\\x01\\xff', " +
        "{'a': [1, {'b': 'c'}], 'e': {}}, [])",
    );
  });
});

describe('shimModule', () => {
  it('names the module by a hash of its source', () => {
    const m = shimModule();
    const hash = createHash('sha256').update(m.source).digest('hex');
    assert.equal(m.moduleName, `tsapply_shim_${hash}`);
    assert.equal(m.fileName, `tsapply_shim_${hash}.py`);
    assert.match(m.source, /^def make_command\(spec\):$/m);
  });
});

describe('buildShimCommand', { skip }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsapply-shimmod-'));
    writeFileSync(join(dir, shimModule().fileName), shimModule().source);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('calls make_command with the spec dict, keys in snake_case', () => {
    const code = [
      'import json, pickle, sys, types',
      `m = types.ModuleType(${JSON.stringify(shimModule().moduleName)})`,
      'm.make_command = lambda spec: spec',
      'sys.modules[m.__name__] = m',
      'print(json.dumps(pickle.loads(open(sys.argv[1], "rb").read()), sort_keys=True))',
    ].join('\n');
    const spec = JSON.parse(runPython(code, buildShimCommand(SPEC))) as Record<string, unknown>;
    assert.deepEqual(spec, {
      version: 2,
      mode: 'grouped',
      payload: { file: 'tsapply-payload-0123456789abcdef.bin', sha256: 'ab'.repeat(32) },
      worker: { file: 'tsapply-worker-fedcba9876543210.cjs', sha256: 'cd'.repeat(32) },
      schema_ddl: 'g string, n bigint',
      schema_json: SPEC.schemaJson,
      group_columns: ['g', 'région'],
      task_timeout_ms: null,
      worker_idle_timeout_ms: null,
      node_options: { node: null, args: ['--max-old-space-size=2048'], env: { TZ: 'UTC' }, policy: 'auto', shipped: null },
    });
  });

  it("unpickles with the real shim to Spark's mapInArrow (function, StructType) for both modes", () => {
    const code = [
      'import inspect, pickle, sys',
      'f, rt = pickle.loads(open(sys.argv[1], "rb").read())',
      'print(callable(f), f.__name__, len(inspect.getfullargspec(f).args), type(rt).__module__ + "." + type(rt).__name__, rt.simpleString())',
    ].join('\n');
    assert.equal(runPython(code, buildShimCommand(SPEC), dir), 'True tsapply_map_in_arrow 1 pyspark.sql.types.StructType struct<g:string,n:bigint>');
    assert.equal(
      runPython(code, buildShimCommand({ ...SPEC, mode: 'map', groupColumns: [] }), dir),
      'True tsapply_map_in_arrow 1 pyspark.sql.types.StructType struct<g:string,n:bigint>',
    );
  });

  it('rejects an unknown mode', () => {
    assert.throws(() => buildShimCommand({ ...SPEC, mode: 'window' as never }), { message: "spec.mode must be 'map' or 'grouped', got window" });
  });
});

describe('sparkSchemaJson', () => {
  const DDL =
    'a string, b bigint, c array<int>, d map<string,double>, e struct<f:date,g:binary>, t timestamp, n timestamp_ntz, ' +
    'dec decimal(10,2), bo boolean, s smallint, ti tinyint, fl float';

  it("writes Spark's JSON schema", () => {
    const json = JSON.parse(sparkSchemaJson(parseDDL('a string, c array<int>, d map<string,double>'))) as unknown;
    assert.deepEqual(json, {
      type: 'struct',
      fields: [
        { name: 'a', type: 'string', nullable: true, metadata: {} },
        { name: 'c', type: { type: 'array', elementType: 'integer', containsNull: true }, nullable: true, metadata: {} },
        { name: 'd', type: { type: 'map', keyType: 'string', valueType: 'double', valueContainsNull: true }, nullable: true, metadata: {} },
      ],
    });
  });

  it('is read back by pyspark as the same schema', { skip }, () => {
    const code = [
      'import sys',
      'from pyspark.sql.types import _parse_datatype_json_string',
      'print(_parse_datatype_json_string(open(sys.argv[1]).read()).simpleString())',
    ].join('\n');
    const out = runPython(code, Buffer.from(sparkSchemaJson(parseDDL(DDL))));
    assert.equal(
      out,
      'struct<a:string,b:bigint,c:array<int>,d:map<string,double>,e:struct<f:date,g:binary>,t:timestamp,n:timestamp_ntz,' +
        'dec:decimal(10,2),bo:boolean,s:smallint,ti:tinyint,fl:float>',
    );
  });
});
