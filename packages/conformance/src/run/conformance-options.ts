import type { ModelFixture } from '../models/model-fixture.js';
import type { OracleCache } from '../models/oracle-cache.js';
import type { CaseResult } from '../report/case-result.js';
import type { ConformanceReport } from '../report/conformance-report.js';

/** What a conformance run covers and where its report goes. */
export interface ConformanceOptions {
  /** Name in the report (default: the backend's own name). */
  readonly name?: string;
  /** Keeps only the cases whose id passes, e.g. `(id) => id.startsWith('matmul/')`. */
  readonly filter?: (id: string) => boolean;
  /** PyTorch fixtures to check (Node: `discoverFixtures()` from @swin/conformance/node). */
  readonly fixtures?: readonly ModelFixture[];
  /** The full Swin-T 224 random-weights model against the reference executor (default true; the slowest case). */
  readonly swinT224?: boolean;
  /** The small model built at batch 1 and run at batch 3 (default true). */
  readonly dynamicBatch?: boolean;
  /** Case ids or op names whose 'unsupported' is accepted (a backend that is still growing). */
  readonly allowUnsupported?: readonly string[];
  /** Keeps slow reference outputs between runs (Node: a file cache under reports/conformance/.cache). */
  readonly oracleCache?: OracleCache;
  /** Called after every case (progress output, custom assertions). */
  readonly onResult?: (result: CaseResult) => void;
  /** Receives the finished report (Node: writes reports/conformance/<backend>.json). */
  readonly writeReport?: (report: ConformanceReport) => void | Promise<void>;
}
