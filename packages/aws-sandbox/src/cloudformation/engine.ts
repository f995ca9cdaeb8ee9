import type { Sandbox } from '../sandbox';

export class CloudFormationEngine {
  constructor(private readonly sandbox: Sandbox) {}
  cancelAll(): void {}
}
