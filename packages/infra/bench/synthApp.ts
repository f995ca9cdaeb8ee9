/*
 * The CDK app as `cdk synth` would run it: a fresh Node process that builds
 * the four seed environments and writes the cloud assembly to argv[2].
 */
import { synthesizeEnvironments } from '../src';
import { SEED_BENCH_ENVIRONMENTS, BENCH_INPUTS } from './seed';

const outdir = process.argv[2];
const validate = process.argv[3] === 'validate';
if (!outdir) {
  throw new Error('usage: synthApp.ts <outdir> [validate]');
}
synthesizeEnvironments(BENCH_INPUTS, SEED_BENCH_ENVIRONMENTS, {
  outdir,
  validate,
});
