// tslab runs notebook cells as CommonJS through node:vm, where `import()` is not
// available and `require()` cannot load ES modules (tsapply is one) on Node 20. A file
// loaded by require keeps Node's own import(): `const load = require('./esm-import.cjs');
// const { SparkSession } = await load('tsapply');` resolves from this folder.
module.exports = (specifier) => import(specifier);
