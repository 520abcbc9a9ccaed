import { packageBuild } from '../../tsup.base';

// `browser` is the entry without Node built-ins (the `browser` export condition); `parallel` is the
// Node-only subpath `@spanrel/joint/parallel`; `predict-worker` and `gradient-worker` are the code its worker threads run.
export default packageBuild({
  index: 'src/index.ts',
  browser: 'src/browser.ts',
  parallel: 'src/parallel/index.ts',
  'predict-worker': 'src/parallel/predict-worker.ts',
  'gradient-worker': 'src/parallel/gradient-worker.ts',
});
