// The seed's transfer-learning demo for real (examples/pretrained-classifier.ts): the
// project's own script fetches the pre-trained network (PyPI) and real photos (Debian),
// then on the Spark server the runner starts: ImageTransformer → the network as a
// TypeScript stage → Spark's LogisticRegression. Test accuracy, one known photo's label,
// and the same features from the embedded engine (examples/pretrained/features-job.ts).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as arrow from 'apache-arrow';
import { ml, runJob, SparkSession } from 'tsapply';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let spark: SparkSession;
let demo: typeof import('../../examples/pretrained-classifier.ts');

before(async () => {
  // Fetches and converts once per cache folder (CI's is empty: about a minute).
  execFileSync('bash', [join(ROOT, 'examples/pretrained/prepare.sh')], { stdio: ['ignore', 'pipe', 'inherit'], timeout: 900_000 });
  demo = await import('../../examples/pretrained-classifier.ts');
  spark = await SparkSession.connect(process.env.SPARK_REMOTE);
});
after(async () => {
  await spark?.stop();
});

describe('the pretrained-network demo on Spark', () => {
  it('classifies held-out photos of fishes and tools with test accuracy at least 0.95, a known photo among them', { timeout: 600_000 }, async () => {
    const r = await demo.classifyPhotos(spark);
    console.log(demo.formatPretrained(r));
    assert.equal(r.trainRows + r.testRows, 67, 'photos: 28 fishes and 39 tools');
    assert.ok(r.accuracy >= 0.95, `test accuracy ${r.accuracy}`);
    assert.equal(r.predictions.length, r.testRows);
    const sickle = r.predictions.find((p) => p.image === 'sickle.png');
    assert.deepEqual(sickle && { class: sickle.class, prediction: sickle.prediction }, { class: 'tools', prediction: 0 });
  });

  it('the embedded engine gives every photo the same 1280 features as Spark', { timeout: 600_000 }, async () => {
    const photos = demo.readPhotos(spark);
    const featurize = await new ml.Pipeline({ stages: demo.featureStages() }).fit(photos);
    const onSpark = new Map(
      (await featurize.transform(photos).select('image.origin', 'embedding').collect()).map((r) => [r.origin as string, Array.from(r.embedding as ArrayLike<number>)]),
    );
    const dir = mkdtempSync(join(tmpdir(), 'tsapply-pretrained-'));
    try {
      await runJob(join(ROOT, 'examples/pretrained/features-job.ts'), { output: join(dir, 'out'), format: 'arrow', workers: 2, quiet: true });
      const local = new Map<string, number[]>();
      for (const part of readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.arrow'))) {
        const table = arrow.tableFromIPC(readFileSync(join(dir, 'out', part)));
        for (const row of table) local.set(row.origin as string, Array.from(row.embedding as ArrayLike<number>));
      }
      assert.equal(local.size, 67);
      assert.deepEqual([...local.keys()].sort(), [...onSpark.keys()].sort());
      let largest = 0;
      for (const [origin, features] of local) {
        const theirs = onSpark.get(origin)!;
        assert.equal(features.length, 1280);
        const worst = Math.max(...features.map((v, i) => Math.abs(v - theirs[i]!)));
        // Same decoder results (PNG), same steps, same WebAssembly: the same bits.
        assert.equal(worst, 0, `${origin}: features differ by up to ${worst}`);
        largest = Math.max(largest, worst);
      }
      console.log(`largest difference between the engines' features: ${largest}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
