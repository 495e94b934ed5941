export * from './job-definition.js';
