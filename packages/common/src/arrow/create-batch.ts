import * as arrow from 'apache-arrow';
import type { Batch } from '../job-definition.js';
export function createBatch(recordBatch: arrow.RecordBatch): Batch { throw new Error('not implemented'); }
