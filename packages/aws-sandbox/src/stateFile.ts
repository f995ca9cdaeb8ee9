/*
 * The state file: loading it on start (upgrading older versions) and saving
 * the world to it after changes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ACCOUNT_ID } from './state';
import type { SandboxState } from './state';

const isObject = (v: unknown) => typeof v === 'object' && v !== null;

export function loadState(file: string): SandboxState | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e: any) {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  }
  const parsed = JSON.parse(text);
  // Version 1 files predate accounts: everything in them was made by the
  // default caller, so their regions become the default account's and a
  // saved world survives the upgrade instead of starting empty.
  if (parsed?.version === 1 && isObject(parsed.regions)) {
    const { regions, ...rest } = parsed;
    return { ...rest, version: 2, accounts: { [ACCOUNT_ID]: regions } };
  }
  if (parsed?.version !== 2 || !isObject(parsed.accounts)) {
    throw new Error(`${file} is not an AWS sandbox state file`);
  }
  return parsed as SandboxState;
}

/**
 * Saves after changes, at most every `delayMs`: write to a temporary file in
 * the same directory, then rename over the target, so a crash never leaves a
 * half-written state file.
 */
export class StateWriter {
  private timer?: NodeJS.Timeout;
  private counter = 0;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => SandboxState,
    private readonly delayMs = 200,
  ) {}

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.flush();
      } catch (e) {
        process.stderr.write(`aws-sandbox: could not save state: ${e}\n`);
      }
    }, this.delayMs);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const dir = path.dirname(path.resolve(this.file));
    fs.mkdirSync(dir, { recursive: true });
    const tmp = path.join(
      dir,
      `.${path.basename(this.file)}.${process.pid}.${this.counter++}.tmp`,
    );
    fs.writeFileSync(tmp, JSON.stringify(this.snapshot()));
    fs.renameSync(tmp, this.file);
  }
}
