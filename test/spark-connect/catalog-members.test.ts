// Catalog and SparkSession members added for issue 16 (createTable, createExternalTable,
// emptyDataFrame, copyFromLocalToFs), each checked against the real server: what the
// catalog reports, what SQL (SHOW CREATE TABLE, DESCRIBE) says, and the rows read back.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidOptionError, type SparkSession } from '@tsapply/spark-connect';
import { connect } from './helpers.js';

// Tables live in the server's shared warehouse: names unique to this process, dropped in after().
const tag = `${process.pid}_${Date.now().toString(36)}`;
const T = { managed: `tsapply_cm_managed_${tag}`, external: `tsapply_cm_ext_${tag}`, legacy: `tsapply_cm_legacy_${tag}`, csv: `tsapply_cm_csv_${tag}`, twin: `tsapply_cm_twin_${tag}` };

let spark: SparkSession;
let tmp: string;
before(async () => {
  spark = await connect();
  tmp = mkdtempSync(join(tmpdir(), 'tsapply-catalog-members-'));
});
after(async () => {
  try {
    for (const t of Object.values(T)) await spark.sql(`DROP TABLE IF EXISTS ${t}`);
  } finally {
    await spark.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
});

const showCreate = async (table: string) => String(Object.values((await (await spark.sql(`SHOW CREATE TABLE ${table}`)).collect())[0]!)[0]);

describe('catalog.createTable / createExternalTable', () => {
  it('creates a managed table with the DDL schema, source and description; the catalog, SHOW CREATE TABLE and the rows agree', async () => {
    const df = await spark.catalog.createTable(T.managed, { schema: 'id bigint, name string', source: 'parquet', description: 'made by tsapply' });
    assert.deepEqual(await df.collect(), [], 'the returned DataFrame is the new, empty table');
    assert.deepEqual(await df.dtypes(), [['id', 'bigint'], ['name', 'string']]);

    const listed = (await spark.catalog.listTables()).find((t) => t.name === T.managed);
    assert.ok(listed, `listTables() shows ${T.managed}`);
    assert.equal(listed.tableType, 'MANAGED');
    assert.equal(listed.isTemporary, false);
    assert.equal(listed.description, 'made by tsapply');
    const cols = (await spark.catalog.listColumns(T.managed)).map((c) => [c.name, c.dataType, c.isPartition]);
    assert.deepEqual(cols, [['id', 'bigint', false], ['name', 'string', false]]);

    // Spark 4.x may spell the default collation out (STRING COLLATE UTF8_BINARY): the same type.
    const ddl = (await showCreate(T.managed)).replace(/ COLLATE UTF8_BINARY/g, '');
    assert.match(ddl, /\(\s*id BIGINT,\s*name STRING\)/);
    assert.match(ddl, /USING parquet/);
    assert.match(ddl, /COMMENT 'made by tsapply'/);
    await spark.sql(`CREATE TABLE ${T.twin} (id BIGINT, name STRING) USING parquet COMMENT 'made by tsapply'`);
    assert.equal(ddl.replace(T.managed, 'X'), (await showCreate(T.twin)).replace(/ COLLATE UTF8_BINARY/g, '').replace(T.twin, 'X'), 'the same table as SQL CREATE TABLE makes');

    await spark.sql(`INSERT INTO ${T.managed} VALUES (1, 'a'), (2, 'b')`);
    assert.deepEqual(await df.orderBy('id').collect(), [{ id: 1n, name: 'a' }, { id: 2n, name: 'b' }]);
    await assert.rejects(spark.catalog.createTable(T.managed, { schema: 'x int' }), /TABLE_OR_VIEW_ALREADY_EXISTS|already exists/);
  });

  it('creates external tables over files at a path, schema inferred; createExternalTable is the same call', async () => {
    const dir = join(tmp, 'people.parquet');
    const people = spark.createDataFrame([{ id: 1, name: 'ann' }, { id: 2, name: 'bob' }, { id: 3, name: null }], 'id int, name string');
    await people.write.parquet(dir);

    const ext = await spark.catalog.createTable(T.external, { path: dir, source: 'parquet' });
    assert.deepEqual(await ext.orderBy('id').collect(), await people.orderBy('id').collect());
    const t = await spark.catalog.getTable(T.external);
    assert.equal(t.tableType, 'EXTERNAL');
    assert.match(await showCreate(T.external), new RegExp(`LOCATION 'file:${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'`));

    const legacy = await spark.catalog.createExternalTable(T.legacy, { path: dir, source: 'parquet' });
    assert.deepEqual(await legacy.orderBy('id').collect(), await people.orderBy('id').collect());
    assert.equal((await spark.catalog.getTable(T.legacy)).tableType, 'EXTERNAL');
  });

  it('passes data source options through (csv header and separator)', async () => {
    const file = join(tmp, 'scores.csv');
    writeFileSync(file, 'who;score\nann;7\nbob;9\n');
    const csv = await spark.catalog.createTable(T.csv, { path: file, source: 'csv', schema: 'who string, score int', options: { header: 'true', sep: ';' } });
    assert.deepEqual(await csv.orderBy('who').collect(), [{ who: 'ann', score: 7 }, { who: 'bob', score: 9 }]);
    const props = await (await spark.sql(`SHOW CREATE TABLE ${T.csv}`)).collect();
    assert.match(String(Object.values(props[0]!)[0]), /'sep' = ';'/);
  });

  it('rejects bad arguments with the option named', async () => {
    await assert.rejects(spark.catalog.createTable(T.managed, { schem: 'x int' } as never), (e: unknown) => e instanceof InvalidOptionError && /"schem"\. Did you mean "schema"\? Valid options: path, source, schema, description, options/.test(e.message));
    await assert.rejects(spark.catalog.createTable(T.managed, { options: { header: true } } as never), (e: unknown) => e instanceof InvalidOptionError && /options\.options\.header must be a string/.test(e.message));
    await assert.rejects(spark.catalog.createTable('', { schema: 'x int' }), (e: unknown) => e instanceof InvalidOptionError && /tableName must be a non-empty name/.test(e.message));
    await assert.rejects(spark.catalog.createExternalTable(T.legacy, { description: 'x' } as never), (e: unknown) => e instanceof InvalidOptionError && /"description"/.test(e.message));
  });
});

describe('spark.emptyDataFrame', () => {
  it('has the schema\'s columns and no rows', async () => {
    const df = spark.emptyDataFrame('name string, age int, tags array<string>');
    assert.deepEqual(await df.dtypes(), [['name', 'string'], ['age', 'int'], ['tags', 'array<string>']]);
    assert.equal(await df.count(), 0);
    assert.deepEqual(await df.collect(), []);
    assert.equal(await df.isEmpty(), true);
    assert.throws(() => spark.emptyDataFrame(undefined as never), (e: unknown) => e instanceof InvalidOptionError && /schema must be a non-empty DDL string/.test(e.message));
  });
});

describe('spark.copyFromLocalToFs', () => {
  it('checks its paths before sending anything', async () => {
    const file = join(tmp, 'upload.txt');
    writeFileSync(file, 'hello');
    await assert.rejects(spark.copyFromLocalToFs(file, 'hdfs:///tmp/x.txt'), (e: unknown) => e instanceof InvalidOptionError && /destPath must be a path without a scheme/.test(e.message));
    await assert.rejects(spark.copyFromLocalToFs(file, 'relative/x.txt'), (e: unknown) => e instanceof InvalidOptionError && /destPath must be an absolute path/.test(e.message));
    await assert.rejects(spark.copyFromLocalToFs(join(tmp, 'missing.txt'), '/tmp/x.txt'), (e: unknown) => e instanceof InvalidOptionError && /cannot read localPath .*ENOENT/.test(e.message));
    await assert.rejects(spark.copyFromLocalToFs(tmp, '/tmp/x.txt'), (e: unknown) => e instanceof InvalidOptionError && /is not a file/.test(e.message));
  });

  it('reaches the server\'s forward-to-file-system handler, which refuses a local destination unless the server allows it', async () => {
    // The test server's default file system is the local disk, and it is not started with
    // spark.sql.artifact.copyFromLocalToFs.allowDestLocal (a static conf), so the server's
    // own guard answers: proof that the artifact arrived under forward_to_fs/ and was not
    // taken for a session artifact (which would succeed) or a bad name (another message).
    const file = join(tmp, 'upload.txt');
    writeFileSync(file, 'hello');
    const dest = join(tmp, 'copied.txt');
    await assert.rejects(spark.copyFromLocalToFs(file, dest), /local file system destination path is not supported/);
  });
});
