import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as arrow from 'apache-arrow';
import { DDLParseError, parseDDL, parseDDLType, toDDL, typeToDDL, isTsapplyError } from '@tsapply/common';

function err(ddl: string): DDLParseError {
  try {
    parseDDL(ddl);
  } catch (e) {
    assert.ok(e instanceof DDLParseError);
    return e;
  }
  assert.fail(`expected ${ddl} to fail`);
}

describe('parseDDL', () => {
  it('maps every primitive type and alias to the Arrow type', () => {
    const cases: [string, string, string][] = [
      ['boolean', 'Bool', 'boolean'],
      ['BOOLEAN', 'Bool', 'boolean'],
      ['tinyint', 'Int8', 'tinyint'],
      ['byte', 'Int8', 'tinyint'],
      ['smallint', 'Int16', 'smallint'],
      ['short', 'Int16', 'smallint'],
      ['int', 'Int32', 'int'],
      ['Integer', 'Int32', 'int'],
      ['bigint', 'Int64', 'bigint'],
      ['long', 'Int64', 'bigint'],
      ['float', 'Float32', 'float'],
      ['real', 'Float32', 'float'],
      ['double', 'Float64', 'double'],
      ['string', 'Utf8', 'string'],
      ['varchar(10)', 'Utf8', 'string'],
      ['binary', 'Binary', 'binary'],
      ['date', 'Date32<DAY>', 'date'],
      ['timestamp', 'Timestamp<MICROSECOND, UTC>', 'timestamp'],
      ['timestamp_ltz', 'Timestamp<MICROSECOND, UTC>', 'timestamp'],
      ['timestamp_ntz', 'Timestamp<MICROSECOND>', 'timestamp_ntz'],
      ['decimal(10,2)', 'Decimal[10e+2]', 'decimal(10,2)'],
      ['decimal', 'Decimal[10e0]', 'decimal(10,0)'],
      ['dec', 'Decimal[10e0]', 'decimal(10,0)'],
      ['numeric(38, 18)', 'Decimal[38e+18]', 'decimal(38,18)'],
      ['decimal(5)', 'Decimal[5e0]', 'decimal(5,0)'],
    ];
    for (const [ddl, arrowName, spark] of cases) {
      const field = parseDDL(`c ${ddl}`).fields[0]!;
      assert.equal(String(field.type), arrowName, ddl);
      assert.equal(field.nullable, true);
      assert.equal(typeToDDL(field.type), spark, ddl);
    }
  });

  it('parses nested types with pyspark Arrow naming', () => {
    const s = parseDDL('a array<struct<a:int,b:string>>, m map<string,array<double>>, s struct<a: int, b: string>');
    assert.deepEqual(s.fields.map((f) => f.name), ['a', 'm', 's']);
    const list = s.fields[0]!.type as arrow.List;
    assert.equal(list.typeId, arrow.Type.List);
    assert.equal(list.children[0]!.name, 'element');
    assert.equal(String(list.children[0]!.type), 'Struct<{a:Int32, b:Utf8}>');
    const map = s.fields[1]!.type as arrow.Map_;
    assert.equal(map.typeId, arrow.Type.Map);
    assert.equal(map.children[0]!.name, 'entries');
    assert.equal(map.keyType.typeId, arrow.Type.Utf8);
    assert.equal(String(map.valueType), 'List<Float64>');
    assert.equal((map.children[0]!.type as arrow.Struct).children[0]!.nullable, false);
    assert.equal(toDDL(s), 'a array<struct<a: int, b: string>>, m map<string, array<double>>, s struct<a: int, b: string>');
  });

  it('accepts backticks, NOT NULL, COMMENT and a top-level struct<…>', () => {
    const s = parseDDL("`my col` INT NOT NULL COMMENT 'the count', `a``b` string, b bigint COMMENT \"x\"");
    assert.deepEqual(s.fields.map((f) => [f.name, f.nullable]), [['my col', false], ['a`b', true], ['b', true]]);
    assert.equal(toDDL(s), '`my col` int NOT NULL, `a``b` string, b bigint');
    assert.equal(toDDL(parseDDL('struct<x: long, y: array<string>>')), 'x bigint, y array<string>');
    assert.equal(toDDL(parseDDL('  a:int ,b  double  ')), 'a int, b double');
    assert.equal(toDDL(parseDDL('s struct<>')), 's struct<>');
  });

  it('round-trips toDDL(parseDDL(x)) for every type', () => {
    const ddl =
      'b boolean, t tinyint, sm smallint, i int, l bigint, f float, d double, s string, bin binary, dt date, ' +
      'ts timestamp, ntz timestamp_ntz, dec decimal(38,10), a array<array<int>>, m map<bigint, struct<x: date NOT NULL>>, ' +
      '`weird name!` string NOT NULL';
    assert.equal(toDDL(parseDDL(ddl)), ddl);
    assert.equal(toDDL(parseDDL(toDDL(parseDDL(ddl)))), ddl);
  });

  it('parseDDLType parses one type', () => {
    assert.equal(typeToDDL(parseDDLType('MAP<STRING, DECIMAL(4,1)>')), 'map<string, decimal(4,1)>');
    assert.throws(() => parseDDLType('int int'), {
      message: 'Invalid schema "int int": expected end of input after the type at position 4 but found "int".',
    });
  });

  it('reports unknown types with the position and the valid types', () => {
    const e = err('a strin');
    assert.equal(
      e.message,
      'Invalid schema "a strin": unknown type "strin" at position 2. Valid types: boolean, tinyint, smallint, int, ' +
        'bigint, float, double, decimal(p,s), string, binary, date, timestamp, timestamp_ntz, array<T>, map<K,V>, struct<…>.',
    );
    assert.equal(e.position, 2);
    assert.equal(e.expected, 'a type');
    assert.equal(e.code, 'DDL_PARSE');
    assert.equal(isTsapplyError(e), true);
  });

  it('reports structural errors with what was expected', () => {
    const cases: [string, string][] = [
      ['a int,', 'Invalid schema "a int,": expected a column name at position 6 but found end of input.'],
      ['', 'Invalid schema "": expected a column name at position 0 but found end of input.'],
      ['a', 'Invalid schema "a": expected a type at position 1 but found end of input.'],
      ['a array<int', 'Invalid schema "a array<int": expected ">" closing array< at position 11 but found end of input.'],
      ['a map<string>', 'Invalid schema "a map<string>": expected "," between map key and value types at position 12 but found ">".'],
      ['a int b int', 'Invalid schema "a int b int": expected "," between columns at position 6 but found "b".'],
      ['a decimal(40,2)', 'Invalid schema "a decimal(40,2)": decimal precision 40 at position 10 is out of range (1 to 38).'],
      ['a decimal(4,5)', 'Invalid schema "a decimal(4,5)": decimal scale 5 at position 2 is larger than its precision 4.'],
      ['a int, a string', 'Invalid schema "a int, a string": duplicate column name "a" at position 7.'],
      ['`a int', 'Invalid schema "`a int": unterminated backticked name starting at position 0.'],
      ['a int; b int', 'Invalid schema "a int; b int": unexpected character ";" at position 5.'],
      ["a int COMMENT", 'Invalid schema "a int COMMENT": expected a quoted comment after COMMENT at position 13 but found end of input.'],
      ['s struct<a int', 'Invalid schema "s struct<a int": expected ">" closing struct< at position 14 but found end of input.'],
    ];
    for (const [ddl, message] of cases) assert.equal(err(ddl).message, message, ddl);
  });
});
