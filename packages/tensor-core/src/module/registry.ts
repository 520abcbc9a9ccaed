import type { Module } from './module.js';

/** Builds a module from its plain-JSON config. */
export type ModuleFactory<C = any> = (config: C) => Module;

/**
 * One registry for every module kind in spanrel, keyed by versioned names
 * (`"dense.v1"`, `"spert-span-head.v1"`). Saved models store `{name, config}`
 * and are rebuilt through here.
 */
export class Registry {
  private readonly factories = new Map<string, ModuleFactory>();

  register<C>(name: string, factory: ModuleFactory<C>): void {
    if (this.factories.has(name)) throw new Error(`registry: "${name}" is already registered`);
    this.factories.set(name, factory as ModuleFactory);
  }

  has(name: string): boolean {
    return this.factories.has(name);
  }

  names(): string[] {
    return [...this.factories.keys()].sort();
  }

  build<M extends Module = Module>(name: string, config: object): M {
    const factory = this.factories.get(name);
    if (!factory) {
      throw new Error(`registry: no module named "${name}"; known: ${this.names().join(', ') || '(none)'}`);
    }
    return factory(config) as M;
  }
}

/** The process-wide registry every package registers its modules in. */
export const registry = new Registry();
