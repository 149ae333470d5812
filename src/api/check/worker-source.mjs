// The pool worker when the checker runs from its TypeScript sources (the tests): worker.ts loaded through tsx.
import { tsImport } from 'tsx/esm/api';

const { default: runWorkerBatch } = await tsImport('./worker.ts', import.meta.url);
export default runWorkerBatch;
