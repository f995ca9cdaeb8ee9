/*
 * Applies templates. API calls validate synchronously and return; the stack
 * operation then runs in the background, one resource step every
 * resourceDelayMs of wall time, writing the stack events CloudFormation
 * writes (so pollers such as toolkit-lib see progress). Failures roll back.
 */
import type { Sandbox } from '../sandbox';
import type {
  RegionState,
  Stack,
  StackEvent,
  StackParameter,
  StackResource,
} from '../state';
import type { Caller } from '../services/types';
import { AwsError } from '../protocol/errors';
import { NO_VALUE, resolve, Scope, TemplateError } from './intrinsics';
import { providers, ResourceContext } from './resources';
import {
  conditionsFor,
  dependencyOrder,
  parseTemplate,
  Template,
} from './template';

export interface OperationContext {
  region: string;
  regionState: RegionState;
  caller: Caller;
}

export interface Deployment {
  template: Template;
  templateBody: string;
  parameters: Record<string, string | string[]>;
  storedParameters: StackParameter[];
  disableRollback?: boolean;
}

class Cancelled extends Error {}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));
}

/** Compares values the way CloudFormation does: numbers equal their strings. */
function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map(k => [k, normalise((v as any)[k])]),
    );
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return v;
}

export class CloudFormationEngine {
  private generation = 0;
  private timers = new Set<NodeJS.Timeout>();

  constructor(private readonly sandbox: Sandbox) {}

  cancelAll(): void {
    this.generation++;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private pause(gen: number): Promise<void> {
    return new Promise((resolveFn, reject) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        if (gen !== this.generation) reject(new Cancelled());
        else resolveFn();
      }, this.sandbox.resourceDelayMs);
      this.timers.add(t);
    });
  }

  /** Runs `fn` in the background; unexpected errors never reach the server. */
  private background(
    fn: (gen: number) => Promise<void>,
    onError: (e: unknown) => void,
  ) {
    const gen = this.generation;
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn(gen)
        .catch(e => {
          if (e instanceof Cancelled) return;
          try {
            onError(e);
          } catch (inner) {
            process.stderr.write(`aws-sandbox: cloudformation: ${inner}\n`);
          }
        })
        .finally(() => this.sandbox.changed());
    }, 0);
    this.timers.add(t);
  }

  // ---- events ---------------------------------------------------------------

  event(
    stack: Stack,
    logicalId: string,
    type: string,
    physicalId: string,
    status: string,
    reason?: string,
    properties?: unknown,
  ): void {
    const e: StackEvent = {
      EventId: this.sandbox.random.uuid(),
      StackId: stack.StackId,
      StackName: stack.StackName,
      LogicalResourceId: logicalId,
      PhysicalResourceId: physicalId,
      ResourceType: type,
      Timestamp: this.sandbox.now(),
      ResourceStatus: status,
      ResourceStatusReason: reason,
      ResourceProperties:
        properties === undefined ? undefined : JSON.stringify(properties),
    };
    stack.events.unshift(e);
    this.sandbox.changed();
  }

  stackEvent(stack: Stack, status: string, reason?: string): void {
    stack.StackStatus = status;
    stack.StackStatusReason = reason;
    this.event(
      stack,
      stack.StackName,
      'AWS::CloudFormation::Stack',
      stack.StackId,
      status,
      reason,
    );
  }

  // ---- scope ----------------------------------------------------------------

  scopeFor(stack: Stack, d: Deployment, op: OperationContext): Scope {
    const base = {
      region: op.region,
      accountId:
        op.caller.account === '000000000000'
          ? '000000000000'
          : op.caller.account,
      stackName: stack.StackName,
      stackId: stack.StackId,
      parameters: d.parameters,
      mappings: d.template.Mappings ?? {},
      resourceIds: new Set(Object.keys(d.template.Resources)),
      ref: (id: string) => {
        const r = stack.resources[id];
        if (!r || !r.PhysicalResourceId) {
          throw new TemplateError(
            `Template error: resource ${id} is not available (its condition is false or it was not created)`,
          );
        }
        return r.PhysicalResourceId;
      },
      getAtt: (id: string, attr: string) => {
        const r = stack.resources[id];
        if (!r)
          throw new TemplateError(
            `Template error: resource ${id} is not available`,
          );
        const v = r.attributes[attr];
        if (v === undefined) {
          throw new TemplateError(
            `Template error: resource ${id} does not support attribute type ${attr} in Fn::GetAtt`,
          );
        }
        return v;
      },
      importValue: (name: string) => {
        const exp = op.regionState.cloudformation.exports[name];
        if (!exp) throw new TemplateError(`No export named ${name} found.`);
        return exp.value;
      },
    };
    const conditions = conditionsFor(d.template, base);
    return { ...base, conditions };
  }

  included(d: Deployment, scope: Scope): (id: string) => boolean {
    return id => {
      const c = d.template.Resources[id].Condition;
      return !c || scope.conditions[c] === true;
    };
  }

  private resourceContext(
    stack: Stack,
    op: OperationContext,
    logicalId: string,
  ): ResourceContext {
    return {
      sandbox: this.sandbox,
      region: op.region,
      regionState: op.regionState,
      caller: op.caller,
      now: this.sandbox.now(),
      stackName: stack.StackName,
      stackId: stack.StackId,
      logicalId,
    };
  }

  /** An injected resourceFailure fault for this resource (one-shot). */
  private injectedFailure(
    stack: Stack,
    logicalId: string,
    type: string,
  ): string | undefined {
    const faults = this.sandbox.state.faults;
    const i = faults.findIndex(
      f =>
        f.type === 'resourceFailure' &&
        (!f.logicalIdPrefix || logicalId.startsWith(f.logicalIdPrefix)) &&
        (!f.resourceType || f.resourceType === type) &&
        (!f.stackName || f.stackName === stack.StackName),
    );
    if (i < 0) return undefined;
    const [fault] = faults.splice(i, 1);
    return (
      fault.message ??
      'Resource handler returned message: "Injected failure from the AWS sandbox" (HandlerErrorCode: InternalFailure)'
    );
  }

  private failureReason(e: unknown): string {
    if (e instanceof AwsError) {
      let code = 'InvalidRequest';
      if (e.code.includes('AlreadyExists')) code = 'AlreadyExists';
      else if (e.code.includes('NotFound')) code = 'NotFound';
      return `Resource handler returned message: "${
        e.message
      }" (RequestToken: ${this.sandbox.random.uuid()}, HandlerErrorCode: ${code})`;
    }
    if (e instanceof TemplateError) return e.message;
    return `Internal Failure: ${(e as Error)?.message ?? e}`;
  }

  private outputs(
    stack: Stack,
    d: Deployment,
    scope: Scope,
    op: OperationContext,
  ) {
    const out: Stack['Outputs'] = [];
    for (const [key, def] of Object.entries<any>(d.template.Outputs ?? {})) {
      if (def.Condition && !scope.conditions[def.Condition]) continue;
      let value = resolve(def.Value, scope);
      if (Array.isArray(value)) value = value.join(',');
      if (value === NO_VALUE) continue;
      const exportName =
        def.Export?.Name !== undefined
          ? String(resolve(def.Export.Name, scope))
          : undefined;
      if (exportName) {
        const existing = op.regionState.cloudformation.exports[exportName];
        if (existing && existing.stackId !== stack.StackId) {
          throw new TemplateError(
            `Export with name ${exportName} is already exported by stack ${
              existing.stackId.split('/')[1]
            }`,
          );
        }
      }
      out.push({
        OutputKey: key,
        OutputValue: String(value),
        Description: def.Description,
        ExportName: exportName,
      });
    }
    return out;
  }

  private publishExports(stack: Stack, op: OperationContext) {
    const exports = op.regionState.cloudformation.exports;
    for (const [name, e] of Object.entries(exports)) {
      if (e.stackId === stack.StackId) delete exports[name];
    }
    for (const o of stack.Outputs) {
      if (o.ExportName)
        exports[o.ExportName] = {
          stackId: stack.StackId,
          value: o.OutputValue,
        };
    }
  }

  // ---- create ---------------------------------------------------------------

  startCreate(
    stack: Stack,
    d: Deployment,
    op: OperationContext,
    onDone?: (ok: boolean) => void,
  ): void {
    stack.busy = true;
    this.stackEvent(stack, 'CREATE_IN_PROGRESS', 'User Initiated');
    this.background(
      async gen => {
        const ok = await this.runCreate(stack, d, op, gen);
        stack.busy = false;
        onDone?.(ok);
      },
      e => {
        stack.busy = false;
        this.stackEvent(
          stack,
          'CREATE_FAILED',
          `Internal Failure: ${(e as Error)?.message ?? e}`,
        );
        onDone?.(false);
      },
    );
  }

  private async createResource(
    stack: Stack,
    d: Deployment,
    scope: Scope,
    op: OperationContext,
    id: string,
    gen: number,
    updating = false,
  ) {
    const def = d.template.Resources[id];
    const provider = providers[def.Type];
    const inProgress = updating ? 'UPDATE_IN_PROGRESS' : 'CREATE_IN_PROGRESS';
    if (!updating) this.event(stack, id, def.Type, '', 'CREATE_IN_PROGRESS');
    await this.pause(gen);
    const injected = this.injectedFailure(stack, id, def.Type);
    if (injected) throw new TemplateError(injected);
    const props = resolve(def.Properties ?? {}, scope);
    const result = provider.create(props, this.resourceContext(stack, op, id));
    const record: StackResource = {
      LogicalResourceId: id,
      PhysicalResourceId: result.physicalId,
      ResourceType: def.Type,
      ResourceStatus: inProgress,
      Timestamp: this.sandbox.now(),
      properties: props,
      attributes: result.attributes,
      definition: clone(def),
    };
    this.event(
      stack,
      id,
      def.Type,
      result.physicalId,
      inProgress,
      'Resource creation Initiated',
      props,
    );
    await this.pause(gen);
    return record;
  }

  private async runCreate(
    stack: Stack,
    d: Deployment,
    op: OperationContext,
    gen: number,
  ): Promise<boolean> {
    const scope = this.scopeFor(stack, d, op);
    let order: string[];
    let current: string | undefined;
    try {
      order = dependencyOrder(d.template, this.included(d, scope));
      for (const id of order) {
        current = id;
        const record = await this.createResource(stack, d, scope, op, id, gen);
        record.ResourceStatus = 'CREATE_COMPLETE';
        stack.resources[id] = record;
        this.event(
          stack,
          id,
          record.ResourceType,
          record.PhysicalResourceId,
          'CREATE_COMPLETE',
        );
      }
      current = undefined;
      stack.Outputs = this.outputs(stack, d, scope, op);
      this.publishExports(stack, op);
      stack.templateBody = d.templateBody;
      stack.Parameters = d.storedParameters;
      this.stackEvent(stack, 'CREATE_COMPLETE');
      return true;
    } catch (e) {
      if (e instanceof Cancelled) throw e;
      const reason = this.failureReason(e);
      if (current) {
        const type = d.template.Resources[current].Type;
        this.event(
          stack,
          current,
          type,
          stack.resources[current]?.PhysicalResourceId ?? '',
          'CREATE_FAILED',
          reason,
        );
      }
      const summary = current
        ? `The following resource(s) failed to create: [${current}]. `
        : reason;
      if (d.disableRollback) {
        stack.templateBody = d.templateBody;
        stack.Parameters = d.storedParameters;
        this.stackEvent(stack, 'CREATE_FAILED', summary);
        return false;
      }
      this.stackEvent(
        stack,
        'ROLLBACK_IN_PROGRESS',
        `${summary}Rollback requested by user.`,
      );
      stack.templateBody = d.templateBody;
      stack.Parameters = d.storedParameters;
      await this.deleteResources(
        stack,
        d.template,
        op,
        gen,
        Object.keys(stack.resources),
      );
      this.stackEvent(stack, 'ROLLBACK_COMPLETE');
      return false;
    }
  }

  /** Deletes the given resources in reverse dependency order. */
  private async deleteResources(
    stack: Stack,
    template: Template,
    op: OperationContext,
    gen: number,
    ids: string[],
    retainAllowed = true,
  ) {
    const present = new Set(ids.filter(id => stack.resources[id]));
    let order: string[];
    try {
      const t: Template = { ...template, Resources: { ...template.Resources } };
      for (const id of present) {
        if (!t.Resources[id])
          t.Resources[id] = stack.resources[id].definition as any;
      }
      order = dependencyOrder(t, id => present.has(id)).reverse();
    } catch {
      order = [...present].reverse();
    }
    let failed: string | undefined;
    for (const id of order) {
      const r = stack.resources[id];
      const policy = (r.definition as any)?.DeletionPolicy;
      if (retainAllowed && policy === 'Retain') {
        this.event(
          stack,
          id,
          r.ResourceType,
          r.PhysicalResourceId,
          'DELETE_SKIPPED',
        );
        delete stack.resources[id];
        continue;
      }
      this.event(
        stack,
        id,
        r.ResourceType,
        r.PhysicalResourceId,
        'DELETE_IN_PROGRESS',
      );
      await this.pause(gen);
      try {
        providers[r.ResourceType]?.delete(
          r.PhysicalResourceId,
          r.properties,
          r.attributes,
          this.resourceContext(stack, op, id),
        );
        this.event(
          stack,
          id,
          r.ResourceType,
          r.PhysicalResourceId,
          'DELETE_COMPLETE',
        );
        delete stack.resources[id];
      } catch (e) {
        const reason = this.failureReason(e);
        r.ResourceStatus = 'DELETE_FAILED';
        r.ResourceStatusReason = reason;
        this.event(
          stack,
          id,
          r.ResourceType,
          r.PhysicalResourceId,
          'DELETE_FAILED',
          reason,
        );
        failed = failed ?? id;
      }
    }
    return failed;
  }

  // ---- update ---------------------------------------------------------------

  /** Whether the resolved properties differ, and if so whether replacement is needed. */
  compare(
    type: string,
    oldProps: any,
    newProps: any,
  ): { changed: boolean; replace: boolean; names: string[] } {
    const names = [
      ...new Set([
        ...Object.keys(oldProps ?? {}),
        ...Object.keys(newProps ?? {}),
      ]),
    ].filter(k => !deepEqual(oldProps?.[k], newProps?.[k]));
    if (names.length === 0) return { changed: false, replace: false, names };
    const p = providers[type];
    const replace =
      !p ||
      !p.update ||
      p.replaceOn === 'all' ||
      names.some(n => (p.replaceOn as string[]).includes(n));
    return { changed: true, replace, names };
  }

  startUpdate(
    stack: Stack,
    d: Deployment,
    op: OperationContext,
    onDone?: (ok: boolean) => void,
  ): void {
    stack.busy = true;
    this.stackEvent(stack, 'UPDATE_IN_PROGRESS', 'User Initiated');
    this.background(
      async gen => {
        const ok = await this.runUpdate(stack, d, op, gen);
        stack.busy = false;
        onDone?.(ok);
      },
      e => {
        stack.busy = false;
        this.stackEvent(
          stack,
          'UPDATE_ROLLBACK_FAILED',
          `Internal Failure: ${(e as Error)?.message ?? e}`,
        );
        onDone?.(false);
      },
    );
  }

  private async runUpdate(
    stack: Stack,
    d: Deployment,
    op: OperationContext,
    gen: number,
  ): Promise<boolean> {
    const oldTemplate = parseTemplate(stack.templateBody);
    const scope = this.scopeFor(stack, d, op);
    const created: string[] = [];
    const updated: { id: string; before: StackResource }[] = [];
    const replaced: {
      id: string;
      before: StackResource;
      after?: StackResource;
    }[] = [];
    let current: string | undefined;
    let currentAction = 'update';
    try {
      const order = dependencyOrder(d.template, this.included(d, scope));
      for (const id of order) {
        current = id;
        const def = d.template.Resources[id];
        const existing = stack.resources[id];
        if (!existing) {
          currentAction = 'create';
          const record = await this.createResource(
            stack,
            d,
            scope,
            op,
            id,
            gen,
          );
          record.ResourceStatus = 'CREATE_COMPLETE';
          stack.resources[id] = record;
          created.push(id);
          this.event(
            stack,
            id,
            def.Type,
            record.PhysicalResourceId,
            'CREATE_COMPLETE',
          );
          continue;
        }
        currentAction = 'update';
        const props = resolve(def.Properties ?? {}, scope);
        const diff =
          existing.ResourceType !== def.Type
            ? { changed: true, replace: true, names: [] }
            : this.compare(def.Type, existing.properties, props);
        if (!diff.changed) {
          existing.definition = clone(def);
          continue;
        }
        if (diff.replace) {
          this.event(
            stack,
            id,
            def.Type,
            existing.PhysicalResourceId,
            'UPDATE_IN_PROGRESS',
            'Requested update requires the creation of a new physical resource; hence creating one.',
          );
          const entry: {
            id: string;
            before: StackResource;
            after?: StackResource;
          } = { id, before: clone(existing) };
          replaced.push(entry);
          const record = await this.createResource(
            stack,
            d,
            scope,
            op,
            id,
            gen,
            true,
          );
          record.ResourceStatus = 'UPDATE_COMPLETE';
          stack.resources[id] = record;
          entry.after = record;
          this.event(
            stack,
            id,
            def.Type,
            record.PhysicalResourceId,
            'UPDATE_COMPLETE',
          );
        } else {
          this.event(
            stack,
            id,
            def.Type,
            existing.PhysicalResourceId,
            'UPDATE_IN_PROGRESS',
          );
          await this.pause(gen);
          const injected = this.injectedFailure(stack, id, def.Type);
          if (injected) throw new TemplateError(injected);
          updated.push({ id, before: clone(existing) });
          const result = providers[def.Type].update!(
            existing.PhysicalResourceId,
            props,
            { props: existing.properties, attributes: existing.attributes },
            this.resourceContext(stack, op, id),
          );
          existing.PhysicalResourceId = result.physicalId;
          existing.attributes = result.attributes;
          existing.properties = props;
          existing.definition = clone(def);
          existing.ResourceStatus = 'UPDATE_COMPLETE';
          existing.Timestamp = this.sandbox.now();
          this.event(
            stack,
            id,
            def.Type,
            existing.PhysicalResourceId,
            'UPDATE_COMPLETE',
          );
        }
      }
      current = undefined;
      const outputs = this.outputs(stack, d, scope, op);
      // Success: clean up what the new template no longer has.
      this.stackEvent(stack, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
      const keep = new Set(order);
      const removed = Object.keys(stack.resources).filter(id => !keep.has(id));
      await this.deleteResources(stack, oldTemplate, op, gen, removed);
      for (const r of [...replaced].reverse()) {
        this.event(
          stack,
          r.id,
          r.before.ResourceType,
          r.before.PhysicalResourceId,
          'DELETE_IN_PROGRESS',
        );
        await this.pause(gen);
        try {
          providers[r.before.ResourceType]?.delete(
            r.before.PhysicalResourceId,
            r.before.properties,
            r.before.attributes,
            this.resourceContext(stack, op, r.id),
          );
        } catch {
          // the old physical resource may already be gone
        }
        this.event(
          stack,
          r.id,
          r.before.ResourceType,
          r.before.PhysicalResourceId,
          'DELETE_COMPLETE',
        );
      }
      stack.templateBody = d.templateBody;
      stack.Parameters = d.storedParameters;
      stack.Outputs = outputs;
      this.publishExports(stack, op);
      stack.LastUpdatedTime = this.sandbox.now();
      this.stackEvent(stack, 'UPDATE_COMPLETE');
      return true;
    } catch (e) {
      if (e instanceof Cancelled) throw e;
      const reason = this.failureReason(e);
      if (current) {
        const type =
          d.template.Resources[current]?.Type ?? 'AWS::CloudFormation::Stack';
        this.event(
          stack,
          current,
          type,
          stack.resources[current]?.PhysicalResourceId ?? '',
          currentAction === 'create' ? 'CREATE_FAILED' : 'UPDATE_FAILED',
          reason,
        );
      }
      this.stackEvent(
        stack,
        'UPDATE_ROLLBACK_IN_PROGRESS',
        current
          ? `The following resource(s) failed to ${currentAction}: [${current}]. `
          : reason,
      );
      // Put updated resources back the way they were.
      for (const u of [...updated].reverse()) {
        const r = stack.resources[u.id];
        this.event(
          stack,
          u.id,
          r.ResourceType,
          r.PhysicalResourceId,
          'UPDATE_IN_PROGRESS',
        );
        await this.pause(gen);
        try {
          providers[r.ResourceType].update!(
            r.PhysicalResourceId,
            u.before.properties,
            { props: r.properties, attributes: r.attributes },
            this.resourceContext(stack, op, u.id),
          );
        } catch {
          // best effort, as CloudFormation's rollback
        }
        stack.resources[u.id] = {
          ...u.before,
          ResourceStatus: 'UPDATE_COMPLETE',
          Timestamp: this.sandbox.now(),
        };
        this.event(
          stack,
          u.id,
          r.ResourceType,
          r.PhysicalResourceId,
          'UPDATE_COMPLETE',
        );
      }
      for (const rep of [...replaced].reverse()) {
        stack.resources[rep.id] = {
          ...rep.before,
          ResourceStatus: 'UPDATE_COMPLETE',
          Timestamp: this.sandbox.now(),
        };
        this.event(
          stack,
          rep.id,
          rep.before.ResourceType,
          rep.before.PhysicalResourceId,
          'UPDATE_COMPLETE',
        );
      }
      this.stackEvent(stack, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
      await this.deleteResources(stack, d.template, op, gen, created, false);
      for (const rep of [...replaced].reverse()) {
        if (!rep.after) continue;
        this.event(
          stack,
          rep.id,
          rep.after.ResourceType,
          rep.after.PhysicalResourceId,
          'DELETE_IN_PROGRESS',
        );
        await this.pause(gen);
        try {
          providers[rep.after.ResourceType]?.delete(
            rep.after.PhysicalResourceId,
            rep.after.properties,
            rep.after.attributes,
            this.resourceContext(stack, op, rep.id),
          );
        } catch {
          // ignore
        }
        this.event(
          stack,
          rep.id,
          rep.after.ResourceType,
          rep.after.PhysicalResourceId,
          'DELETE_COMPLETE',
        );
      }
      stack.LastUpdatedTime = this.sandbox.now();
      this.stackEvent(stack, 'UPDATE_ROLLBACK_COMPLETE');
      return false;
    }
  }

  // ---- delete ---------------------------------------------------------------

  startDelete(stack: Stack, op: OperationContext, retain: string[] = []): void {
    stack.busy = true;
    this.stackEvent(stack, 'DELETE_IN_PROGRESS', 'User Initiated');
    this.background(
      async gen => {
        let template: Template;
        try {
          template = parseTemplate(stack.templateBody);
        } catch {
          template = { Resources: {} };
        }
        for (const id of retain) {
          if (stack.resources[id])
            (stack.resources[id].definition as any).DeletionPolicy = 'Retain';
        }
        const failed = await this.deleteResources(
          stack,
          template,
          op,
          gen,
          Object.keys(stack.resources),
        );
        stack.busy = false;
        if (failed) {
          this.stackEvent(
            stack,
            'DELETE_FAILED',
            `The following resource(s) failed to delete: [${failed}]. `,
          );
          return;
        }
        const exports = op.regionState.cloudformation.exports;
        for (const [name, e] of Object.entries(exports)) {
          if (e.stackId === stack.StackId) delete exports[name];
        }
        stack.DeletionTime = this.sandbox.now();
        stack.changeSets = {};
        this.stackEvent(stack, 'DELETE_COMPLETE');
      },
      e => {
        stack.busy = false;
        this.stackEvent(
          stack,
          'DELETE_FAILED',
          `Internal Failure: ${(e as Error)?.message ?? e}`,
        );
      },
    );
  }
}
