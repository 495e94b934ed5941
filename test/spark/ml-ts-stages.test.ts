// TypeScript stages in a Spark ML Pipeline, on the real server the test runner starts:
// a TsTransformer (a feature computed per row) and a TsEstimator (a standard scaler whose
// fit runs over the data on the executors) fitted in one Pipeline with Spark's
// VectorAssembler and LogisticRegression on the penguins of vega-datasets, every value
// checked against the same computation done here; then what users get wrong.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ml, SparkSession, SparkUsageError, UserCodeError, InvalidOptionError, type Batch, type DataFrame, type image } from 'tsapply';

interface Penguin {
  Species: string;
  'Beak Length (mm)': number | null;
  'Beak Depth (mm)': number | null;
  'Flipper Length (mm)': number | null;
  'Body Mass (g)': number | null;
}
const RAW = JSON.parse(readFileSync(fileURLToPath(new URL('../../node_modules/vega-datasets/data/penguins.json', import.meta.url)), 'utf8')) as Penguin[];
const SPECIES = ['Adelie', 'Chinstrap', 'Gentoo'];
const PENGUINS = RAW.filter((p) => p['Beak Length (mm)'] !== null && p['Beak Depth (mm)'] !== null && p['Flipper Length (mm)'] !== null && p['Body Mass (g)'] !== null).map((p, i) => ({
  id: i,
  bill_length: p['Beak Length (mm)']!,
  bill_depth: p['Beak Depth (mm)']!,
  flipper_length: p['Flipper Length (mm)']!,
  mass: p['Body Mass (g)']!,
  label: SPECIES.indexOf(p.Species),
}));
const TRAIN = PENGUINS.filter((p) => p.id % 4 !== 0);
const TEST = PENGUINS.filter((p) => p.id % 4 === 0);

/** The shape of a bill, one value per row: what a data scientist writes as a feature. */
const billShape = new ml.TsTransformer(
  (batch: Batch) => [...batch].map((r) => ({ bill_ratio: (r.bill_length as number) / (r.bill_depth as number) })),
  { outputCols: 'bill_ratio double' },
);

/** A standard scaler of body mass: per-batch sums on the executors, mean and deviation here. */
const massScaler = new ml.TsEstimator({
  fit: (batch: Batch) => {
    const mass = batch.values('mass');
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < mass.length; i++) {
      sum += Number(mass[i]);
      squares += Number(mass[i]) ** 2;
    }
    return [{ n: BigInt(mass.length), sum, squares }];
  },
  fitSchema: 'n bigint, sum double, squares double',
  combine: (rows) => {
    const n = rows.reduce((a, r) => a + Number(r.n), 0);
    const sum = rows.reduce((a, r) => a + (r.sum as number), 0);
    const squares = rows.reduce((a, r) => a + (r.squares as number), 0);
    const mean = sum / n;
    return { mean, sd: Math.sqrt((squares - n * mean * mean) / (n - 1)) };
  },
  transform: (batch: Batch, ctx) => ({ mass_z: Array.from(batch.values('mass'), (m) => (Number(m) - ctx.context.mean) / ctx.context.sd) }),
  outputCols: 'mass_z double',
});

let spark: SparkSession;
let train: DataFrame;
let test: DataFrame;

before(async () => {
  spark = await SparkSession.connect(process.env.SPARK_REMOTE);
  train = spark.createDataFrame(TRAIN).repartition(3);
  test = spark.createDataFrame(TEST);
});
after(async () => {
  await spark?.stop();
});

describe('TypeScript stages in a Pipeline with Spark ML stages', () => {
  it('fit once; the fitted PipelineModel transforms the test split with plain transform(); every value as computed here', async () => {
    const pipeline = new ml.Pipeline({
      stages: [
        billShape,
        massScaler,
        new ml.VectorAssembler({ inputCols: ['bill_ratio', 'mass_z', 'flipper_length'], outputCol: 'features' }),
        new ml.LogisticRegression({ maxIter: 50, regParam: 0.01 }),
      ],
    });
    const model = await pipeline.fit(train);
    try {
      assert.equal(model.stages.length, 4);
      const scaler = model.stages[1];
      assert.ok(scaler instanceof ml.TsTransformer, String(scaler));
      const predictions = model.transform(test);
      const rows = (await predictions.select('id', 'bill_ratio', 'mass_z', 'label', 'prediction').orderBy('id').collect()) as {
        id: bigint;
        bill_ratio: number;
        mass_z: number;
        label: bigint;
        prediction: number;
      }[];
      assert.equal(rows.length, TEST.length);
      const mean = TRAIN.reduce((a, p) => a + p.mass, 0) / TRAIN.length;
      const sd = Math.sqrt(TRAIN.reduce((a, p) => a + (p.mass - mean) ** 2, 0) / (TRAIN.length - 1));
      for (const [i, r] of rows.entries()) {
        const p = TEST[i]!;
        assert.equal(Number(r.id), p.id);
        assert.equal(r.bill_ratio, p.bill_length / p.bill_depth);
        assert.ok(Math.abs(r.mass_z - (p.mass - mean) / sd) < 1e-9, `mass_z of penguin ${p.id}: ${r.mass_z} vs ${(p.mass - mean) / sd}`);
      }
      const accuracy = rows.filter((r) => Number(r.label) === r.prediction).length / rows.length;
      assert.ok(accuracy > 0.9, `test accuracy ${accuracy}`);
      // The input's own columns stay, in their order, before the stages' columns.
      assert.deepEqual((await predictions.columns()).slice(0, 8), ['id', 'bill_length', 'bill_depth', 'flipper_length', 'mass', 'label', 'bill_ratio', 'mass_z']);
    } finally {
      await model.release();
    }
  });

  it('a fitted PipelineModel with TypeScript stages saves and loads: the same predictions, the stages run from their saved payloads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsapply-ts-stages-'));
    const pipeline = new ml.Pipeline({
      stages: [billShape, massScaler, new ml.VectorAssembler({ inputCols: ['bill_ratio', 'mass_z'], outputCol: 'features' }), new ml.LogisticRegression({ maxIter: 20 })],
    });
    const model = await pipeline.fit(train);
    let loaded: ml.PipelineModel | undefined;
    try {
      // An unfitted pipeline holding a TsEstimator cannot be saved: its fit is code on the client.
      await assert.rejects(pipeline.save(join(dir, 'unfitted')), /Pipeline\.save\(\): TsEstimator TsEstimator_[0-9a-f]{12} has no Spark ML class, so Spark cannot save it\. Fit it and save what the fit gives \(a Pipeline's fitted PipelineModel saves its TypeScript stages\)\./);
      await model.save(join(dir, 'model'));
      loaded = await ml.PipelineModel.load(spark, join(dir, 'model'));
      assert.deepEqual(loaded.stages.map((s) => s.constructor.name), ['TsTransformer', 'TsTransformer', 'VectorAssembler', 'LogisticRegressionModel']);
      assert.throws(() => loaded!.transform(test), /the stage has not seen an input in this session yet/);
      const pick = async (df: DataFrame) => (await df.select('id', 'mass_z', 'probability', 'prediction').orderBy('id').collect()).map((r) => [r.id, r.mass_z, String(r.probability), r.prediction]);
      assert.deepEqual(await pick(await loaded.transformAsync(test)), await pick(model.transform(test)));

      // A payload changed after the save is refused by its hash.
      await spark.createDataFrame([{ payload: new Uint8Array([1, 2, 3]) }], 'payload binary').write.mode('overwrite').parquet(join(dir, 'model', 'stages', '0_' + billShape.uid, 'payload'));
      await assert.rejects(ml.load(spark, join(dir, 'model')), /ml\.load\(\): the payload at .*payload has hash [0-9a-f]{64}, not the [0-9a-f]{64} its metadata records: it changed after it was saved\. Save the stage again\./);
    } finally {
      await model.release();
      await loaded?.release();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a stage used on its own: transformAsync() first, then transform() on data with the same columns', async () => {
    const first = await billShape.transformAsync(test);
    const again = billShape.transform(test.limit(2));
    assert.deepEqual((await again.select('bill_ratio').collect()).map((r) => r.bill_ratio), (await first.select('bill_ratio').limit(2).collect()).map((r) => r.bill_ratio));
    // A column of the same name is replaced, not duplicated.
    const replaced = await new ml.TsTransformer((batch: Batch) => ({ mass: Array.from(batch.values('mass'), (m) => Number(m) / 1000) }), { outputCols: 'mass double' }).transformAsync(test);
    assert.deepEqual(await replaced.columns(), ['id', 'bill_length', 'bill_depth', 'flipper_length', 'label', 'mass']);
    assert.equal((await replaced.orderBy('id').limit(1).collect())[0]!.mass, TEST[0]!.mass / 1000);
  });
});

const SHAPES = fileURLToPath(new URL('../../examples/data/shapes', import.meta.url));
type ImageStruct = image.ImageRow;

describe('ImageTransformer on the shapes images (spark.read.image)', () => {
  const read = (split: string) => spark.read.image(`${SHAPES}/${split}`, { recursiveFileLookup: true, dropInvalid: true });

  it('centre crop, RGB and normalise, in a Pipeline: every float as computed here from the BGR bytes Spark read', async () => {
    const prep = new ml.ImageTransformer({ outputCol: 'pixels' }).centerCrop(4, 6).colorFormat('RGB').normalize({ scale: 1 / 255, mean: 0.5, std: 0.25 });
    assert.equal(prep.outputCols, '`pixels` array<float>');
    const model = await new ml.Pipeline({ stages: [prep] }).fit(read('test'));
    const rows = (await model.transform(read('test')).select('image', 'pixels').collect()) as { image: ImageStruct; pixels: number[] }[];
    assert.equal(rows.length, 20);
    for (const { image, pixels } of rows) {
      const x0 = Math.floor((image.width - 6) / 2);
      const y0 = Math.floor((image.height - 4) / 2);
      // RGB from Spark's BGR(A); a grey image's one channel becomes all three.
      const expected: number[] = [];
      for (const bgr of [2, 1, 0]) {
        for (let y = 0; y < 4; y++) {
          for (let x = 0; x < 6; x++) expected.push(Math.fround((image.data[((y0 + y) * image.width + x0 + x) * image.nChannels + (image.nChannels === 1 ? 0 : bgr)]! * (1 / 255) - 0.5) / 0.25));
        }
      }
      assert.deepEqual(pixels, expected, image.origin);
    }
  });

  it('resize and flip give ImageSchema structs of the new size, channels and origin kept', async () => {
    const small = await new ml.ImageTransformer({ outputCol: 'small' }).resize(10, 20).flip('vertical').transformAsync(read('test'));
    const structs = (await small.select('image', 'small').collect()) as { image: ImageStruct; small: ImageStruct }[];
    assert.equal(structs.length, 20);
    for (const { image, small: r } of structs) {
      assert.deepEqual({ origin: r.origin, height: r.height, width: r.width, nChannels: r.nChannels, mode: r.mode, bytes: r.data.length }, {
        origin: image.origin,
        height: 10,
        width: 20,
        nChannels: image.nChannels,
        mode: image.mode,
        bytes: 200 * image.nChannels,
      });
    }

  });

  it('saves and loads as its steps, giving the same output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsapply-image-stage-'));
    try {
      const prep = new ml.ImageTransformer({ outputCol: 'small' }).crop(1, 2, 30, 20).flip('both').colorFormat('GRAY');
      const before = await (await prep.transformAsync(read('test'))).select('small').collect();
      await prep.save(dir);
      const loaded = await ml.load(spark, dir);
      assert.ok(loaded instanceof ml.ImageTransformer);
      assert.deepEqual(loaded.getSteps(), prep.getSteps());
      assert.equal(loaded.uid, prep.uid);
      assert.deepEqual(await (await loaded.transformAsync(read('test'))).select('small').collect(), before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a step after normalize, steps once it has run, and bad sizes, at the call', async () => {
    assert.throws(() => new ml.ImageTransformer().normalize().flip(), (e: unknown) => InvalidOptionError.is(e) && (e as Error).message === 'ImageTransformer.flip(): normalize() must be the last step (it turns the image into floats).');
    assert.throws(() => new ml.ImageTransformer().resize(0, 8), (e: unknown) => InvalidOptionError.is(e) && (e as Error).message === 'ImageTransformer.resize(): height must be a positive integer, got 0.');
    assert.throws(() => new ml.ImageTransformer().colorFormat('HSV' as never), /ImageTransformer\.colorFormat\(\): format must be one of GRAY, BGR, BGRA, RGB, RGBA, got "HSV"\./);
    const used = new ml.ImageTransformer().resize(4, 4);
    await used.transformAsync(read('test'));
    assert.throws(() => used.flip(), (e: unknown) => SparkUsageError.is(e) && /has already transformed data, so its steps are fixed\. Create a new ImageTransformer for other steps\./.test((e as Error).message));
  });
});

describe('what users get wrong', () => {
  it('transform() before the stage has seen an input in this session says what to call', () => {
    const fresh = new ml.TsTransformer((batch: Batch) => [...batch].map(() => ({ one: 1 })), { outputCols: 'one int' });
    assert.throws(() => fresh.transform(test), (e: unknown) => {
      assert.ok(SparkUsageError.is(e), String(e));
      assert.match((e as Error).message, /^TsTransformer TsTransformer_[0-9a-f]{12}\.transform\(\): the stage has not seen an input in this session yet\. .*call `await stage\.transformAsync\(df\)` \(or fit it in a Pipeline\) once/);
      return true;
    });
  });

  it('a function that returns fewer rows than it was given fails the job with what a stage must return', async () => {
    const dropsRows = new ml.TsTransformer((batch: Batch) => [...batch].slice(1).map(() => ({ one: 1 })), { outputCols: 'one int' });
    const out = await dropsRows.transformAsync(test);
    await assert.rejects(out.collect(), (e: unknown) => {
      assert.ok(UserCodeError.is(e), String(e));
      assert.match((e as Error).message, /TsTransformer TsTransformer_[0-9a-f]{12} \(the arrow function at test\/spark\/ml-ts-stages\.test\.ts:\d+\): the function returned \d+ rows? for \d+\. A pipeline stage's function returns one row per input row \(\d+ here\), each with one/);
      return true;
    });
  });

  it('bad options are refused at the call', () => {
    assert.throws(() => new ml.TsTransformer((b: Batch) => b, {} as never), /new ml\.TsTransformer\(\) needs outputCols: the columns the function adds to each row, as Spark DDL such as 'features array<double>'; got undefined\./);
    assert.throws(() => new ml.TsTransformer((b: Batch) => b, { outputCols: 'x double', schema: 'x double' } as never), /^InvalidOptionError: Invalid option in new ml\.TsTransformer\(\): "schema"\. Valid options: outputCols, context, serializer, init, /);
    assert.throws(() => new ml.TsTransformer((b: Batch) => b, { outputCols: 'x doubel' }), /^InvalidOptionError: new ml\.TsTransformer\(\): outputCols: Invalid schema "x doubel": unknown type "doubel" at position 2\./);
    assert.throws(() => new ml.TsEstimator({ fit: (b: Batch) => b, combine: () => 1, transform: (b: Batch) => b, outputCols: 'x double' } as never), /new ml\.TsEstimator\(\) needs fitSchema/);
  });
});
