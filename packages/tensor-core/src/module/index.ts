export { BaseModule, type Module } from './module.js';
export { Registry, registry, type ModuleFactory } from './registry.js';
export { noteInPlaceParameterWrite, inPlaceParameterWrites } from './in-place-writes.js';
