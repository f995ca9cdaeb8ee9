/*
 * Applies templates. API calls validate synchronously and return; the stack
 * operation then runs in the background, one resource step every
 * resourceDelayMs of wall time, writing the stack events CloudFormation
 * writes (so pollers such as toolkit-lib see progress). A resource whose
 * provider has stabilise() (an ECS service) completes only once that check
 * passes on the simulated clock (resourceWaits.ts). Failures roll back.
 */
import type { Stack, StackEvent, StackResource } from '../state';
import type {
  CloudFormationControl,
  EngineWorld,
  OperationContext,
} from '../world';
import type { Deployment } from './deployment';
import { AwsError } from '../protocol/errors';
import { NO_VALUE, resolve, Scope, TemplateError } from './intrinsics';
import { providers, ResourceContext } from './resources';
import { ResourceWaitFailed, ResourceWaits } from './resourceWaits';
import {
  conditionsFor,
  dependencyOrder,
  parseTemplate,
  Template,
} from './template';

class Cancelled extends Error {}

/** The stack status reason of an error the engine did not expect. */
function internalFailure(e: unknown): string {
  return `Internal Failure: ${(e as Error)?.message ?? e}`;
}

/** The stack status reason naming the resource an operation failed on. */
function resourceFailed(action: string, logicalId: string): string {
  return `The following resource(s) failed to ${action}: [${logicalId}]. `;
}

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

export class CloudFormationEngine implements CloudFormationControl {
  private generation = 0;
  private timers = new Set<NodeJS.Timeout>();
  /** Resources waiting to stabilise; the sandbox attaches its clock. */
  readonly waits = new ResourceWaits();

  constructor(private readonly sandbox: EngineWorld) {}

  cancelAll(): void {
    this.generation++;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.waits.cancelAll();
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
    // Each event has its own time, as on AWS, where steps are at least
    // milliseconds apart: clients order events by Timestamp (the CDK CLI
    // sorts what it prints), so on a manual clock, or within one
    // millisecond, an event comes 1 ms after the stack's previous one.
    const previous = stack.events[0]?.Timestamp ?? -Infinity;
    const e: StackEvent = {
      EventId: this.sandbox.random.uuid(),
      StackId: stack.StackId,
      StackName: stack.StackName,
      LogicalResourceId: logicalId,
      PhysicalResourceId: physicalId,
      ResourceType: type,
      Timestamp: Math.max(this.sandbox.now(), previous + 1),
      ResourceStatus: status,
      ResourceStatusReason: reason,
      ResourceProperties:
        properties === undefined ? undefined : JSON.stringify(properties),
    };
    stack.events.unshift(e);
    this.sandbox.changed();
  }

  /** An event of a resource the stack records. */
  private resourceEvent(
    stack: Stack,
    logicalId: string,
    r: StackResource,
    status: string,
    reason?: string,
  ): void {
    this.event(
      stack,
      logicalId,
      r.ResourceType,
      r.PhysicalResourceId,
      status,
      reason,
    );
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
    if (e instanceof ResourceWaitFailed) {
      return `Resource handler returned message: "${
        e.message
      }" (RequestToken: ${this.sandbox.random.uuid()}, HandlerErrorCode: ${
        e.handlerErrorCode
      })`;
    }
    if (e instanceof TemplateError) return e.message;
    return internalFailure(e);
  }

  /**
   * Waits until the provider counts resource `r` as stable (an ECS service
   * rolled out); rejects with the handler's failure if it cannot be.
   */
  private async stabilise(
    stack: Stack,
    op: OperationContext,
    logicalId: string,
    r: StackResource,
    gen: number,
  ): Promise<void> {
    const provider = providers[r.ResourceType];
    if (!provider?.stabilise) return;
    await this.waits.until(
      provider.stabilise(
        r.PhysicalResourceId,
        r.properties,
        this.resourceContext(stack, op, logicalId),
      ),
    );
    if (gen !== this.generation) throw new Cancelled();
  }

  /**
   * Writes the failure event of the resource an operation failed on, if any,
   * and returns the stack's status reason: that resource, else the error.
   */
  private reportFailure(
    stack: Stack,
    d: Deployment,
    current: string | undefined,
    action: 'create' | 'update',
    e: unknown,
  ): string {
    const reason = this.failureReason(e);
    if (!current) return reason;
    const record = stack.resources[current];
    if (
      action === 'create' &&
      record?.ResourceStatus === 'CREATE_IN_PROGRESS'
    ) {
      record.ResourceStatus = 'CREATE_FAILED';
      record.ResourceStatusReason = reason;
    }
    this.event(
      stack,
      current,
      d.template.Resources[current]?.Type ?? 'AWS::CloudFormation::Stack',
      stack.resources[current]?.PhysicalResourceId ?? '',
      action === 'create' ? 'CREATE_FAILED' : 'UPDATE_FAILED',
      reason,
    );
    return resourceFailed(action, current);
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

  private removeExports(stack: Stack, op: OperationContext) {
    const exports = op.regionState.cloudformation.exports;
    for (const [name, e] of Object.entries(exports)) {
      if (e.stackId === stack.StackId) delete exports[name];
    }
  }

  private publishExports(stack: Stack, op: OperationContext) {
    const exports = op.regionState.cloudformation.exports;
    this.removeExports(stack, op);
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
    this.startOperation(
      stack,
      'CREATE_IN_PROGRESS',
      'CREATE_FAILED',
      gen => this.runCreate(stack, d, op, gen),
      onDone,
    );
  }

  /**
   * Marks the stack busy with `inProgress` and runs the operation in the
   * background; an unexpected error leaves the stack in `internalFailureStatus`.
   */
  private startOperation(
    stack: Stack,
    inProgress: string,
    internalFailureStatus: string,
    run: (gen: number) => Promise<boolean>,
    onDone?: (ok: boolean) => void,
  ): void {
    stack.busy = true;
    this.stackEvent(stack, inProgress, 'User Initiated');
    this.background(
      async gen => {
        const ok = await run(gen);
        stack.busy = false;
        onDone?.(ok);
      },
      e => {
        stack.busy = false;
        this.stackEvent(stack, internalFailureStatus, internalFailure(e));
        onDone?.(false);
      },
    );
  }

  /**
   * Creates resource `id` and records it in the stack, complete. A
   * replacement (`updating`) takes the stack's record only once complete;
   * `onCreated` learns of its physical resource as soon as it exists.
   */
  private async createResource(
    stack: Stack,
    d: Deployment,
    scope: Scope,
    op: OperationContext,
    id: string,
    gen: number,
    updating = false,
    onCreated?: (r: StackResource) => void,
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
    // Recorded while in progress, so a rollback deletes what exists.
    if (!updating) stack.resources[id] = record;
    onCreated?.(record);
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
    await this.stabilise(stack, op, id, record, gen);
    const complete = updating ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE';
    record.ResourceStatus = complete;
    record.Timestamp = this.sandbox.now();
    stack.resources[id] = record;
    this.event(stack, id, def.Type, record.PhysicalResourceId, complete);
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
        await this.createResource(stack, d, scope, op, id, gen);
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
      const summary = this.reportFailure(stack, d, current, 'create', e);
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
        this.resourceEvent(stack, id, r, 'DELETE_SKIPPED');
        delete stack.resources[id];
        continue;
      }
      this.resourceEvent(stack, id, r, 'DELETE_IN_PROGRESS');
      await this.pause(gen);
      try {
        this.deletePhysical(stack, op, id, r);
        this.resourceEvent(stack, id, r, 'DELETE_COMPLETE');
        delete stack.resources[id];
      } catch (e) {
        const reason = this.failureReason(e);
        r.ResourceStatus = 'DELETE_FAILED';
        r.ResourceStatusReason = reason;
        this.resourceEvent(stack, id, r, 'DELETE_FAILED', reason);
        failed = failed ?? id;
      }
    }
    return failed;
  }

  /** Deletes the physical resource of `r` with its provider (which may throw). */
  private deletePhysical(
    stack: Stack,
    op: OperationContext,
    logicalId: string,
    r: StackResource,
  ) {
    providers[r.ResourceType]?.delete(
      r.PhysicalResourceId,
      r.properties,
      r.attributes,
      this.resourceContext(stack, op, logicalId),
    );
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
    this.startOperation(
      stack,
      'UPDATE_IN_PROGRESS',
      'UPDATE_ROLLBACK_FAILED',
      gen => this.runUpdate(stack, d, op, gen),
      onDone,
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
    let currentAction: 'create' | 'update' = 'update';
    try {
      const order = dependencyOrder(d.template, this.included(d, scope));
      for (const id of order) {
        current = id;
        const def = d.template.Resources[id];
        const existing = stack.resources[id];
        if (!existing) {
          currentAction = 'create';
          // Listed first: a rollback deletes it if it got as far as existing.
          created.push(id);
          await this.createResource(stack, d, scope, op, id, gen);
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
          await this.createResource(stack, d, scope, op, id, gen, true, r => {
            entry.after = r;
          });
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
          existing.ResourceStatus = 'UPDATE_IN_PROGRESS';
          await this.stabilise(stack, op, id, existing, gen);
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
        await this.deleteReplaced(stack, op, gen, r.id, r.before);
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
      this.stackEvent(
        stack,
        'UPDATE_ROLLBACK_IN_PROGRESS',
        this.reportFailure(stack, d, current, currentAction, e),
      );
      // Put updated resources back the way they were.
      for (const u of [...updated].reverse()) {
        const r = stack.resources[u.id];
        this.resourceEvent(stack, u.id, r, 'UPDATE_IN_PROGRESS');
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
        this.restoreResource(stack, u.id, u.before);
        // The restored service must stabilise too; if it cannot, the
        // rollback stops there, as CloudFormation's does.
        const failed = await this.stabiliseRollback(stack, op, u.id, gen);
        if (failed) {
          stack.LastUpdatedTime = this.sandbox.now();
          this.stackEvent(stack, 'UPDATE_ROLLBACK_FAILED', failed);
          return false;
        }
        this.resourceEvent(stack, u.id, r, 'UPDATE_COMPLETE');
      }
      for (const rep of [...replaced].reverse()) {
        this.restoreResource(stack, rep.id, rep.before);
        this.resourceEvent(stack, rep.id, rep.before, 'UPDATE_COMPLETE');
      }
      this.stackEvent(stack, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
      await this.deleteResources(stack, d.template, op, gen, created, false);
      for (const rep of [...replaced].reverse()) {
        if (!rep.after) continue;
        await this.deleteReplaced(stack, op, gen, rep.id, rep.after);
      }
      stack.LastUpdatedTime = this.sandbox.now();
      this.stackEvent(stack, 'UPDATE_ROLLBACK_COMPLETE');
      return false;
    }
  }

  /**
   * Waits for a resource an update rollback restored; on failure marks it
   * UPDATE_FAILED and returns the stack's status reason.
   */
  private async stabiliseRollback(
    stack: Stack,
    op: OperationContext,
    logicalId: string,
    gen: number,
  ): Promise<string | undefined> {
    const r = stack.resources[logicalId];
    try {
      await this.stabilise(stack, op, logicalId, r, gen);
      return undefined;
    } catch (e) {
      if (e instanceof Cancelled) throw e;
      const reason = this.failureReason(e);
      r.ResourceStatus = 'UPDATE_FAILED';
      r.ResourceStatusReason = reason;
      this.resourceEvent(stack, logicalId, r, 'UPDATE_FAILED', reason);
      return resourceFailed('update', logicalId);
    }
  }

  /** Puts back the stack's record of a resource as it was before an update. */
  private restoreResource(
    stack: Stack,
    logicalId: string,
    before: StackResource,
  ) {
    stack.resources[logicalId] = {
      ...before,
      ResourceStatus: 'UPDATE_COMPLETE',
      Timestamp: this.sandbox.now(),
    };
  }

  /**
   * Deletes one physical resource of a replacement (the old one once the
   * update succeeded, the new one on rollback); it is no longer the stack's
   * record of `logicalId`, and a failure to delete it is ignored (it may
   * already be gone).
   */
  private async deleteReplaced(
    stack: Stack,
    op: OperationContext,
    gen: number,
    logicalId: string,
    r: StackResource,
  ) {
    this.resourceEvent(stack, logicalId, r, 'DELETE_IN_PROGRESS');
    await this.pause(gen);
    try {
      this.deletePhysical(stack, op, logicalId, r);
    } catch {
      // best effort
    }
    this.resourceEvent(stack, logicalId, r, 'DELETE_COMPLETE');
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
            resourceFailed('delete', failed),
          );
          return;
        }
        this.removeExports(stack, op);
        stack.DeletionTime = this.sandbox.now();
        stack.changeSets = {};
        this.stackEvent(stack, 'DELETE_COMPLETE');
      },
      e => {
        stack.busy = false;
        this.stackEvent(stack, 'DELETE_FAILED', internalFailure(e));
      },
    );
  }
}
