/**
 * The image helpers under test, from the built `@tsapply/common`. Imported through the
 * dist path until the package's index exports them (then: `from '@tsapply/common'`).
 */
export * from '../../../packages/common/dist/image/index.js';
