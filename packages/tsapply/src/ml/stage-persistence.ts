/**
 * Loading the TypeScript stages tsapply saves: `ml.load(spark, path)` (and a saved
 * PipelineModel holding them) meets a metadata line naming a class Spark does not have
 * and hands it to the loader registered here. A TsTransformer comes back as the payload it
 * saved, checked against the hash its metadata records, so what runs is exactly what was
 * fitted; an ImageTransformer comes back as its steps.
 */
import { payloadHash } from '@tsapply/common';
import { SparkUsageError } from '@tsapply/spark-connect';
import { registerStageLoader, savedPart } from '@tsapply/spark-connect/ml';
import { storePayload } from '../job/prepare-payload.js';
import { IMAGE_TRANSFORMER_CLASS, ImageTransformer } from './image-transformer.js';
import { savedStage, TS_TRANSFORMER_CLASS, TsTransformer } from './ts-transformer.js';

registerStageLoader(TS_TRANSFORMER_CLASS, async (spark, path, metadata, where) => {
  const rows = await spark.read.parquet(savedPart(path, 'payload')).collect();
  const bytes = rows[0]?.payload;
  if (rows.length !== 1 || !(bytes instanceof Uint8Array)) {
    throw new SparkUsageError(`${where}: ${savedPart(path, 'payload')} should hold one payload and holds ${rows.length === 1 ? 'no bytes' : `${rows.length} rows`}; save the stage again.`);
  }
  const hash = payloadHash(bytes);
  if (hash !== metadata.payloadHash) {
    throw new SparkUsageError(
      `${where}: the payload at ${savedPart(path, 'payload')} has hash ${hash}, not the ${String(metadata.payloadHash)} its metadata records: it changed after it was saved. Save the stage again.`,
    );
  }
  const payload = await storePayload(bytes, String(metadata.serializer));
  return new TsTransformer(savedStage({ payload, exportName: String(metadata.exportName) }), { outputCols: String(metadata.outputCols) }, metadata.uid);
});

registerStageLoader(IMAGE_TRANSFORMER_CLASS, async (_spark, _path, metadata, where) => ImageTransformer.fromSaved(metadata, where));
