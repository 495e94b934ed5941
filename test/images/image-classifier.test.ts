// @requires-spark
// The image-classifier demo (examples/image-classifier.ts) on the committed demo set
// (80 training, 20 test images): the command users run, on Spark (--remote, the server
// the test runner starts) and on this machine (--local: embedded engine + the local
// logistic regression); the featurizer gives identical features on both engines.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SparkSession } from 'tsapply';
import { featurizeLocally, featurizeOnSpark } from '../../examples/image-classifier.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** Accuracy the demo really reaches is 1.000 on both engines; allow one miss in 20. */
const MIN_ACCURACY = 0.95;

interface DemoRun {
  stdout: string;
  stderr: string;
  code: number | null;
  rows: { image: string; class: string; label: number; prediction: number; pSunny: number }[];
  accuracy: number;
}

/** Runs the demo as users do (`npx tsx examples/image-classifier.ts …`) from the repo root. */
function demo(args: string[]): DemoRun {
  const r = spawnSync(TSX, ['examples/image-classifier.ts', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env }, timeout: 1_800_000 }); // a guard against a hang only: a loaded 2-core machine can take minutes
  const rows = r.stdout
    .split('\n')
    .filter((l) => /^\|[a-z]+-\d{3}\.png/.test(l))
    .map((l) => {
      const [image, cls, label, prediction, p] = l.split('|').slice(1, 6).map((c) => c.trim()) as [string, string, string, string, string];
      return { image, class: cls, label: Number(label), prediction: Number(prediction), pSunny: Number(p) };
    });
  const m = /^Test accuracy: (\d\.\d{3}) \((\d+) of (\d+) correct\)/m.exec(r.stdout);
  return { stdout: r.stdout, stderr: r.stderr, code: r.status, rows, accuracy: m ? Number(m[1]) : NaN };
}

function checkRun(run: DemoRun, header: string): void {
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.split('\n')[0], header);
  assert.match(run.stdout, /^Trained on 80 images \(classes 0 = forest, 1 = sunny\); training accuracy 1\.000$/m);
  // The 20 test images, in file order, each labelled by its folder.
  assert.deepEqual(
    run.rows.map((r) => [r.image, r.class, r.label]),
    [...Array.from({ length: 10 }, (_, i) => [`forest-00${i}.png`, 'forest', 0]), ...Array.from({ length: 10 }, (_, i) => [`sunny-00${i}.png`, 'sunny', 1])],
  );
  for (const r of run.rows) assert.equal(r.prediction, r.pSunny > 0.5 ? 1 : 0, r.image);
  const correct = run.rows.filter((r) => r.prediction === r.label).length;
  assert.equal(run.accuracy, Number((correct / 20).toFixed(3)), 'the printed accuracy is the share of correct rows');
  assert.ok(run.accuracy >= MIN_ACCURACY, `accuracy ${run.accuracy} < ${MIN_ACCURACY}`);
}

describe('examples/image-classifier.ts', () => {
  let onSpark: DemoRun;
  let local: DemoRun;

  before(() => {
    onSpark = demo(['--remote', process.env.SPARK_REMOTE!]);
    local = demo(['--local']);
  });

  it('on Spark: mapInArrow featurizer + Spark ML LogisticRegression separates the classes', () => {
    checkRun(onSpark, 'Image classifier: features by mapInArrow on Spark, LogisticRegression from Spark ML');
    assert.match(onSpark.stdout, /^Test accuracy: \d\.\d{3} \(\d+ of 20 correct\) — Spark MulticlassClassificationEvaluator$/m);
  });

  it('without Spark: embedded engine + local logistic regression separates the classes', () => {
    checkRun(local, 'Image classifier: features on the embedded engine, logistic regression in TypeScript (local fallback; --remote uses Spark ML)');
  });

  it("the local fallback fits nearly the same model as Spark's (same objective): P(sunny) within 0.02 per image", () => {
    assert.equal(local.rows.length, onSpark.rows.length);
    local.rows.forEach((r, i) => assert.ok(Math.abs(r.pSunny - onSpark.rows[i]!.pSunny) <= 0.02, `${r.image}: ${r.pSunny} vs ${onSpark.rows[i]!.pSunny}`));
  });

  it('--remote and --local together is refused with one clear message', () => {
    const r = demo(['--remote', 'sc://localhost:1', '--local']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim().split('\n').at(-1), 'image-classifier: --local and --remote contradict each other; pass one.');
  });
});

describe('featurizeBatch on Spark and on the embedded engine', () => {
  let spark: SparkSession;
  before(async () => {
    spark = await SparkSession.connect(process.env.SPARK_REMOTE);
  });
  after(async () => {
    await spark?.stop();
  });

  it('gives identical rows (origin, split, class, label, all 36 features) for all 100 images', async () => {
    const fromSpark = (await (await featurizeOnSpark(spark)).orderBy('origin').collect()).map((r) => ({ ...r }));
    const local = await featurizeLocally();
    assert.equal(fromSpark.length, 100);
    assert.deepEqual(fromSpark, local.map((r) => ({ ...r })));
    assert.deepEqual(
      [...new Set(local.map((r) => `${r.split}/${r.class}`))].sort(),
      ['test/forest', 'test/sunny', 'train/forest', 'train/sunny'],
    );
    assert.ok(local.every((r) => r.features.length === 36));
  });
});
