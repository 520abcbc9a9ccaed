export { Rng } from './rng.js';
export { fans, glorotNormal, glorotUniform, normalInit, onesInit, zerosInit, type Initializer } from './initializers.js';
