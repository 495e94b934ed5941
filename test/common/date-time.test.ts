// The one parser of dates and times written as text (date-time.ts), used for apply()
// results (build-column.ts) and CSV fields (tsapply's text-values.ts and CSV type
// inference). Days that do not exist are refused, never rolled over; the accepted forms
// are those Spark 4.1's CSV reader infers as timestamps (checked against a real server:
// impossible dates and times make a column `string`, and read as null under a declared
// type, or fail in FAILFAST mode).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { daysInMonth, epochDay, isLeapYear, parseDate, parseTimestamp, parseTimestampMillis } from '@tsapply/common';

/** Microseconds since the epoch of an ISO instant JS can parse, plus extra microseconds. */
const us = (iso: string, extraMicros = 0n): bigint => BigInt(Date.parse(iso)) * 1000n + extraMicros;
const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

describe('parseDate', () => {
  const valid: [string, number][] = [
    ['2024-01-15', day('2024-01-15')],
    ['1970-01-01', 0],
    ['1969-12-31', -1],
    ['2024-2-9', day('2024-02-09')],
    [' 2024-01-15 ', day('2024-01-15')],
    ['9999-12-31', day('9999-12-31')],
    // Years below 100 are not moved into the 1900s (Date.UTC's trap; ISO parsing gets them right).
    ['0024-01-01', day('0024-01-01')],
    ['0000-01-01', -719_528],
  ];
  for (const [text, expected] of valid) {
    it(`reads ${JSON.stringify(text)}`, () => assert.equal(parseDate(text), expected));
  }

  it('knows leap years: 29 February exists in 2024, 2000 and 1600, not in 2023, 1900 or 2100', () => {
    assert.equal(parseDate('2024-02-29'), day('2024-02-29'));
    assert.equal(parseDate('2000-02-29'), day('2000-02-29'));
    assert.equal(parseDate('1600-02-29'), day('1600-02-29'));
    for (const text of ['2023-02-29', '1900-02-29', '2100-02-29']) assert.equal(parseDate(text), undefined, text);
  });

  const impossible = ['2024-02-31', '2024-02-30', '2023-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '2024-01-00', '2024-01-32'];
  for (const text of impossible) {
    it(`refuses ${text}, a day that does not exist (no roll-over into the next month)`, () => assert.equal(parseDate(text), undefined));
  }

  for (const text of ['', '2024', '2024-01', '2024/01/15', '20240115', '24-01-15', '2024-01-15T00:00', '2024-01-15 10:00:00', '+2024-01-15', 'x2024-01-15']) {
    it(`refuses ${JSON.stringify(text)}, which is not a date`, () => assert.equal(parseDate(text), undefined));
  }
});

describe('epochDay', () => {
  it('agrees with Date.UTC on every day from 1600 to 2400', () => {
    for (let y = 1600; y <= 2400; y++) {
      for (let m = 1; m <= 12; m++) {
        for (let d = 1; d <= daysInMonth(y, m); d++) {
          const expected = Date.UTC(y, m - 1, d) / 86_400_000;
          if (epochDay(y, m, d) !== expected) assert.fail(`${y}-${m}-${d}: ${epochDay(y, m, d)} !== ${expected}`);
        }
      }
    }
  });

  it('has 29 days in February of leap years only', () => {
    assert.deepEqual([2024, 2023, 2000, 1900].map(isLeapYear), [true, false, true, false]);
    assert.deepEqual([2024, 2023, 2000, 1900].map((y) => daysInMonth(y, 2)), [29, 28, 29, 28]);
    assert.equal(epochDay(2023, 2, 29), undefined);
  });
});

describe('parseTimestamp', () => {
  const valid: [string, bigint][] = [
    // A date alone is midnight UTC; so are a year and a month alone.
    ['2024-01-15', us('2024-01-15T00:00:00Z')],
    ['2024-01', us('2024-01-01T00:00:00Z')],
    ['2024', us('2024-01-01T00:00:00Z')],
    ['2024-1-5', us('2024-01-05T00:00:00Z')],
    // Times: a space or T, the hour alone, hours and minutes, one-digit fields.
    ['2024-01-15 10:00:00', us('2024-01-15T10:00:00Z')],
    ['2024-01-15T10:00:00', us('2024-01-15T10:00:00Z')],
    ['2024-01-15 10', us('2024-01-15T10:00:00Z')],
    ['2024-01-15 10:30', us('2024-01-15T10:30:00Z')],
    ['2024-01-15 1:2:3', us('2024-01-15T01:02:03Z')],
    ['2024-02-29T23:59:59', us('2024-02-29T23:59:59Z')],
    // Fractions: kept to the microsecond, digits beyond it dropped.
    ['2024-01-15 10:00:00.1', us('2024-01-15T10:00:00.100Z')],
    ['2024-01-15 10:00:00.123456', us('2024-01-15T10:00:00.123Z', 456n)],
    ['2024-01-15 10:00:00.123456789', us('2024-01-15T10:00:00.123Z', 456n)],
    // Zones: Z and offsets ±hh, ±hhmm, ±hh:mm, also after a space.
    ['2024-01-15T10:00:00Z', us('2024-01-15T10:00:00Z')],
    ['2024-01-15T10:00:00+02:00', us('2024-01-15T08:00:00Z')],
    ['2024-01-15T10:00:00+0200', us('2024-01-15T08:00:00Z')],
    ['2024-01-15T10:00:00+02', us('2024-01-15T08:00:00Z')],
    ['2024-01-15T10:00:00-05:30', us('2024-01-15T15:30:00Z')],
    ['2024-01-15 10:00:00 +02:00', us('2024-01-15T08:00:00Z')],
    ['2024-01-01T00:30:00+01:00', us('2023-12-31T23:30:00Z')],
    ['2024-01-15T10:00:00+18:00', us('2024-01-14T16:00:00Z')],
    [' 2024-01-15 ', us('2024-01-15T00:00:00Z')],
    // Before 1970 and years below 100.
    ['1969-12-31 23:59:59.999999', -1n],
    ['0024-01-01', us('0024-01-01T00:00:00Z')],
  ];
  for (const [text, expected] of valid) {
    it(`reads ${JSON.stringify(text)}`, () => assert.equal(parseTimestamp(text), expected));
  }

  const refused: [string, string][] = [
    ['2024-02-31', 'a day that does not exist'],
    ['2024-02-31 10:00:00', 'a day that does not exist'],
    ['2023-02-29T00:00:00Z', 'a day that does not exist (2023 is no leap year)'],
    ['2024-13-01 00:00:00', 'month 13'],
    ['2024-01-15 24:00:00', 'hour 24'],
    ['2024-01-15 10:60:00', 'minute 60'],
    ['2024-01-15 10:00:60', 'second 60'],
    ['2024-01-15T10:00:00+19:00', 'an offset beyond 18 hours'],
    ['2024-01-15T10:00:00+02:60', 'offset minutes beyond 59'],
    ['2024-01-15T', 'a T without a time'],
    ['2024-01-15t10:00:00', 'a lowercase t'],
    ['2024-01-15T10:00:00z', 'a lowercase z'],
    ['2024-01-15T10:00:00UTC', 'a zone name'],
    ['10:00:00', 'a time without a date'],
    ['2024-01-15T10:00:00.', 'a point without digits'],
    ['2024-01-15T10:00:00.1234567890', 'more than 9 fraction digits'],
    ['', 'nothing'],
    ['yesterday', 'no digits'],
  ];
  for (const [text, why] of refused) {
    it(`refuses ${JSON.stringify(text)}: ${why}`, () => assert.equal(parseTimestamp(text), undefined));
  }

  it('reads YYYY-MM-DD hh:mm:ss by position exactly as the grammar reads it (a leading space takes the grammar), valid or not', () => {
    // Digits, separators and lengths around the fixed form, days and times that exist and that do not.
    const pick = <T,>(options: ArrayLike<T>): T => options[Math.floor(Math.random() * options.length)]!;
    const two = (max: number) => String(Math.floor(Math.random() * (max + 1))).padStart(2, '0');
    let read = 0;
    for (let i = 0; i < 20_000; i++) {
      const text =
        `${pick('0129')}${pick('09')}${two(99)}${pick('--/')}${two(13)}-${two(32)}${pick('T T_')}${two(25)}:${two(61)}${pick('::.')}${two(61)}` +
        pick(['', '', 'Z', 'z', '.5', '+01', ' ', 'x']);
      const fixed = parseTimestamp(text);
      assert.equal(fixed, parseTimestamp(` ${text}`), text);
      if (fixed !== undefined) {
        read++;
        assert.equal(parseTimestampMillis(text), Number(fixed) / 1000, text);
      }
    }
    assert.ok(read > 1000, `only ${read} of the texts were timestamps`);
  });

  it('gives milliseconds with the microseconds as a fraction', () => {
    assert.equal(parseTimestampMillis('2024-01-31T12:00:00.123456Z'), Date.UTC(2024, 0, 31, 12) + 123.456);
    assert.equal(parseTimestampMillis('1969-12-31 23:59:59+01:00'), Date.UTC(1969, 11, 31, 22, 59, 59));
    assert.equal(parseTimestampMillis('2024-02-30 00:00:00'), undefined);
  });
});
