import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isTsapplyError, deserializeError, serializeError } from '@tsapply/common';
import {
  imageFromRow,
  imageToRow,
  createImage,
  isInvalidImageRow,
  openCvTypeName,
  IMAGE_STRUCT_DDL,
  IMAGE_SCHEMA_DDL,
  BINARY_FILE_SCHEMA_DDL,
  OCV_TYPES,
  ImageError,
} from './image-api.js';

const bgrRow = () => ({
  origin: 'file:///data/a.png',
  height: 2,
  width: 2,
  nChannels: 3,
  mode: 16,
  data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
});

function throwsImageError(fn: () => unknown, message: string, reason: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isTsapplyError(e));
    assert.equal((e as ImageError).name, 'ImageError');
    assert.equal((e as ImageError).code, 'IMAGE');
    assert.equal((e as Error).message, message);
    assert.equal((e as ImageError).reason, reason);
    return true;
  });
}

describe('image schema constants', () => {
  it('spell Spark ImageSchema and binaryFile schemas', () => {
    assert.equal(IMAGE_STRUCT_DDL, 'struct<origin:string,height:int,width:int,nChannels:int,mode:int,data:binary>');
    assert.equal(IMAGE_SCHEMA_DDL, 'image struct<origin:string,height:int,width:int,nChannels:int,mode:int,data:binary>');
    assert.equal(BINARY_FILE_SCHEMA_DDL, 'path string, modificationTime timestamp, length bigint, content binary');
    assert.deepEqual({ ...OCV_TYPES }, { Undefined: -1, CV_8UC1: 0, CV_8UC3: 16, CV_8UC4: 24 });
  });

  it('names OpenCV type codes', () => {
    assert.equal(openCvTypeName(0), 'CV_8UC1');
    assert.equal(openCvTypeName(16), 'CV_8UC3');
    assert.equal(openCvTypeName(24), 'CV_8UC4');
    assert.equal(openCvTypeName(17), 'CV_8SC3');
    assert.equal(openCvTypeName(21), 'CV_32FC3');
    assert.equal(openCvTypeName(-1), undefined);
  });
});

describe('imageFromRow', () => {
  it('reads a BGR struct without copying the pixels', () => {
    const row = bgrRow();
    const img = imageFromRow(row);
    assert.deepEqual(
      { ...img, data: [...img.data] },
      { origin: 'file:///data/a.png', height: 2, width: 2, channels: 3, mode: 16, channelOrder: 'BGR', data: [...row.data] },
    );
    assert.equal(img.data, row.data);
  });

  it('accepts a whole row of the image source ({ image: struct })', () => {
    const img = imageFromRow({ image: { ...bgrRow(), nChannels: 1, mode: 0, data: new Uint8Array(4) } });
    assert.equal(img.channelOrder, 'GRAY');
    assert.equal(img.channels, 1);
    const bgra = imageFromRow({ image: { ...bgrRow(), nChannels: 4, mode: 24, data: new Uint8Array(16) } });
    assert.equal(bgra.channelOrder, 'BGRA');
  });

  it('maps a null origin to the empty string', () => {
    assert.equal(imageFromRow({ ...bgrRow(), origin: null }).origin, '');
  });

  it('rejects an unsupported mode, naming the OpenCV type', () => {
    throwsImageError(
      () => imageFromRow({ ...bgrRow(), mode: 17 }),
      'Unsupported image mode 17 (CV_8SC3?). Supported: 0 (CV_8UC1), 16 (CV_8UC3), 24 (CV_8UC4).',
      'unsupported-mode',
    );
    throwsImageError(
      () => imageFromRow({ ...bgrRow(), mode: 21 }),
      'Unsupported image mode 21 (CV_32FC3?). Supported: 0 (CV_8UC1), 16 (CV_8UC3), 24 (CV_8UC4).',
      'unsupported-mode',
    );
  });

  it('rejects truncated data with expected vs actual sizes', () => {
    throwsImageError(
      () => imageFromRow({ ...bgrRow(), data: new Uint8Array(5) }),
      'Image data of "file:///data/a.png" is truncated: expected 2*2*3 = 12 bytes (height*width*nChannels), got 5. Re-read the image, or fix the code that built the row.',
      'truncated-data',
    );
  });

  it('rejects data longer than the dimensions', () => {
    throwsImageError(
      () => imageFromRow({ ...bgrRow(), data: new Uint8Array(16) }),
      'Image data of "file:///data/a.png" does not match its dimensions: expected 2*2*3 = 12 bytes (height*width*nChannels), got 16. Check height, width and nChannels.',
      'dimension-mismatch',
    );
  });

  it('rejects nChannels that disagree with mode', () => {
    throwsImageError(
      () => imageFromRow({ ...bgrRow(), nChannels: 4 }),
      'Image of "file:///data/a.png" has nChannels 4 but mode 16 (CV_8UC3) has 3 channels.',
      'dimension-mismatch',
    );
  });

  it('rejects a non-positive size and non-bytes data', () => {
    throwsImageError(
      () => imageFromRow({ ...bgrRow(), width: 0 }),
      'Image of "file:///data/a.png" has width 0; it must be a positive integer.',
      'dimension-mismatch',
    );
    throwsImageError(
      () => imageFromRow({ ...bgrRow(), data: [1, 2, 3] }),
      'Image data of "file:///data/a.png" must be a Uint8Array, got object.',
      'dimension-mismatch',
    );
  });

  it("explains Spark's invalid-image rows", () => {
    const invalid = { origin: 'file:///data/bad.png', height: -1, width: -1, nChannels: -1, mode: -1, data: new Uint8Array(0) };
    assert.equal(isInvalidImageRow(invalid), true);
    assert.equal(isInvalidImageRow(bgrRow()), false);
    assert.equal(isInvalidImageRow({ image: invalid }), true);
    assert.equal(isInvalidImageRow({ image: bgrRow() }), false);
    assert.equal(isInvalidImageRow({ image: null }), true);
    throwsImageError(
      () => imageFromRow(invalid),
      'Image of "file:///data/bad.png" is Spark\'s marker for a file that could not be decoded (height = width = -1). ' +
        'Read with dropInvalid: true to drop such rows, or skip them with isInvalidImageRow(row).',
      'invalid-image',
    );
  });

  it('rejects a non-object', () => {
    throwsImageError(
      () => imageFromRow(42),
      'imageFromRow() expects an ImageSchema struct or a row with an "image" column, got number.',
      'invalid-argument',
    );
  });

  it('survives serializeError / deserializeError with its fields', () => {
    let caught: unknown;
    try {
      imageFromRow({ ...bgrRow(), mode: 17 });
    } catch (e) {
      caught = e;
    }
    const back = deserializeError(JSON.parse(JSON.stringify(serializeError(caught)))) as ImageError;
    assert.equal(back.name, 'ImageError');
    assert.equal(back.reason, 'unsupported-mode');
    assert.equal(back.origin, 'file:///data/a.png');
    assert.ok(isTsapplyError(back));
  });
});

describe('imageToRow', () => {
  it('round-trips row → image → row', () => {
    for (const row of [
      bgrRow(),
      { ...bgrRow(), nChannels: 1, mode: 0, data: Uint8Array.from([9, 8, 7, 6]) },
      { ...bgrRow(), nChannels: 4, mode: 24, data: Uint8Array.from({ length: 16 }, (_, i) => i * 3) },
    ]) {
      const back = imageToRow(imageFromRow(row));
      assert.deepEqual({ ...back, data: [...back.data] }, { ...row, data: [...row.data] });
    }
  });

  it('stores RGB(A) images as BGR(A), as Spark does', () => {
    const row = imageToRow({ height: 1, width: 2, channelOrder: 'RGB', data: Uint8Array.from([1, 2, 3, 4, 5, 6]) });
    assert.deepEqual({ ...row, data: [...row.data] }, { origin: '', height: 1, width: 2, nChannels: 3, mode: 16, data: [3, 2, 1, 6, 5, 4] });
    const rgba = imageToRow({ origin: 'x', height: 1, width: 1, channelOrder: 'RGBA', data: Uint8Array.from([10, 20, 30, 40]) });
    assert.deepEqual([...rgba.data], [30, 20, 10, 40]);
    assert.equal(rgba.mode, 24);
  });

  it('checks the pixels against the dimensions', () => {
    throwsImageError(
      () => imageToRow({ origin: 'mine', height: 2, width: 2, channelOrder: 'RGBA', data: new Uint8Array(15) }),
      'Image data of "mine" is truncated: expected 2*2*4 = 16 bytes (height*width*nChannels), got 15. Re-read the image, or fix the code that built the row.',
      'truncated-data',
    );
    throwsImageError(
      () => imageToRow({ height: 1, width: 1, channelOrder: 'HSV' as never }),
      'Unknown channelOrder "HSV". Valid values: GRAY, BGR, BGRA, RGB, RGBA.',
      'invalid-argument',
    );
  });
});

describe('createImage', () => {
  it('allocates zeroed pixels when data is omitted', () => {
    const img = createImage({ height: 2, width: 3, channelOrder: 'GRAY' });
    assert.deepEqual([...img.data], [0, 0, 0, 0, 0, 0]);
    assert.equal(img.mode, 0);
  });
});
