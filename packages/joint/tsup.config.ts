import { packageBuild } from '../../tsup.base';

// `parallel` is the Node-only subpath `@spanrel/joint/parallel`; `predict-worker` is the code its worker threads run.
export default packageBuild({ index: 'src/index.ts', parallel: 'src/parallel/index.ts', 'predict-worker': 'src/parallel/predict-worker.ts' });
