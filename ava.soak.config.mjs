// The property soaks: not part of `npm test` (see RELIABILITY.md for why and what they find).
//   npm run soak:reconcile   (RTNL_PROPERTY_CASES, RTNL_PROPERTY_SEED)
export default {
  files: ['__test__/*.soak.mjs'],
  timeout: '60m',
  concurrency: 1,
  workerThreads: false,
  nodeArguments: ['--expose-gc'],
}
