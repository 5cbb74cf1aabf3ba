// The reconcile property test at soak size (`npm test` runs it with 2,000 cases):
//   npm run soak:reconcile   (RTNL_PROPERTY_CASES, default 100,000; RTNL_PROPERTY_SEED)
export default {
  files: ['__test__/reconcile-property.test.mjs'],
  timeout: '150m',
  concurrency: 1,
  workerThreads: false,
  nodeArguments: ['--expose-gc'],
}
