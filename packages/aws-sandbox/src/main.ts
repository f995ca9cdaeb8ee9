/*
 * CLI: `yarn workspace @internal/aws-sandbox start [--port N] [--state-file F]
 * [--seed N] [--clock real|manual] [--resource-delay-ms N] [--throttle aws|off]
 * [--roles ARN,...] [--quiet]`.
 */
import { startSandbox } from './index';
import { parseRoleList, ROLE_ARN } from './roles';

function usage(): never {
  process.stderr.write(
    'Usage: aws-sandbox [--port 4566] [--state-file PATH] [--seed 42] [--clock real|manual] [--resource-delay-ms 150] [--throttle off|aws] [--roles ARN,...] [--quiet]\n',
  );
  process.exit(2);
}

function parseArgs(argv: string[]) {
  const out: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) usage();
    const eq = arg.indexOf('=');
    if (eq > 0) {
      out[arg.slice(2, eq)] = arg.slice(eq + 1);
    } else if (arg === '--quiet' || arg === '--help') {
      out[arg.slice(2)] = true;
    } else {
      const value = argv[++i];
      if (value === undefined) usage();
      out[arg.slice(2)] = value;
    }
  }
  return out;
}

function intOption(value: string | boolean | undefined, name: string) {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`--${name} must be a non-negative integer\n`);
    process.exit(2);
  }
  return n;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) usage();
  const env = process.env;
  const port = intOption(args.port ?? env.AWS_SANDBOX_PORT, 'port') ?? 4566;
  const stateFile =
    (args['state-file'] as string | undefined) ?? env.AWS_SANDBOX_STATE_FILE;
  const clock = (args.clock ?? env.AWS_SANDBOX_CLOCK ?? 'real') as string;
  if (clock !== 'real' && clock !== 'manual') usage();
  const throttle = (args.throttle ??
    env.AWS_SANDBOX_THROTTLE ??
    'off') as string;
  if (throttle !== 'aws' && throttle !== 'off') usage();
  const roles = parseRoleList(
    (args.roles as string | undefined) ?? env.AWS_SANDBOX_ROLES,
  );
  const badRole = roles?.find(r => !ROLE_ARN.test(r));
  if (badRole) {
    process.stderr.write(`--roles: ${badRole} is not a role ARN\n`);
    process.exit(2);
  }
  const sandbox = await startSandbox({
    port,
    stateFile: stateFile || undefined,
    seed: intOption(args.seed ?? env.AWS_SANDBOX_SEED, 'seed'),
    clock,
    throttle,
    roles,
    resourceDelayMs: intOption(
      args['resource-delay-ms'] ?? env.AWS_SANDBOX_RESOURCE_DELAY_MS,
      'resource-delay-ms',
    ),
    log: args.quiet
      ? undefined
      : line => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
  });
  process.stdout.write(`AWS sandbox listening on ${sandbox.url}\n`);
  const stop = () => {
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch(e => {
  process.stderr.write(`aws-sandbox: ${(e as Error).message}\n`);
  process.exit(1);
});
