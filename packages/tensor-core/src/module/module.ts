import * as tf from '@tensorflow/tfjs-core';

/**
 * Every trainable building block in spanrel: named parameters, a plain-JSON
 * config it can be rebuilt from (through the registry), and child modules whose
 * parameters are reported under `child.param` names.
 */
export interface Module {
  /** Registry name of the module kind, versioned: `"dense.v1"`. */
  readonly name: string;
  /** Plain-JSON config: `registry.build(name, config)` rebuilds an identical (untrained) module. */
  config(): object;
  /** Every trainable variable below this module, by dotted path (`"layers.0.kernel"`). */
  parameters(): Map<string, tf.Variable>;
}

/**
 * Base class that owns parameter and child bookkeeping. Subclasses call
 * `addParameter` / `addChild` in their constructor.
 */
export abstract class BaseModule implements Module {
  abstract readonly name: string;
  abstract config(): object;

  private readonly ownParams = new Map<string, tf.Variable>();
  private readonly children = new Map<string, Module>();

  protected addParameter(localName: string, initial: tf.Tensor, trainable = true): tf.Variable {
    if (this.ownParams.has(localName) || this.children.has(localName)) {
      throw new Error(`${this.constructor.name}: parameter name "${localName}" is already used`);
    }
    const v = tf.variable(initial, trainable);
    initial.dispose();
    this.ownParams.set(localName, v);
    return v;
  }

  protected addChild<M extends Module>(localName: string, child: M): M {
    if (this.ownParams.has(localName) || this.children.has(localName)) {
      throw new Error(`${this.constructor.name}: child name "${localName}" is already used`);
    }
    this.children.set(localName, child);
    return child;
  }

  parameters(): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>(this.ownParams);
    for (const [childName, child] of this.children) {
      for (const [paramName, v] of child.parameters()) out.set(`${childName}.${paramName}`, v);
    }
    return out;
  }

  /** Frees every variable of this module and its children. */
  dispose(): void {
    for (const v of this.parameters().values()) v.dispose();
  }
}
