import { glorotNormal, glorotUniform, normalInit, zerosInit, type Initializer } from '../init/initializers.js';

/** Initialisers a layer config can name (configs stay plain JSON). */
export const INITIALIZER_NAMES = ['glorot-uniform', 'glorot-normal', 'normal', 'zeros'] as const;
export type InitializerName = (typeof INITIALIZER_NAMES)[number];

/**
 * The {@link Initializer} for a config name; `normal` uses `std` (BERT / SpERT: 0.02).
 * Throws an error naming the module kind and field for an unknown name.
 */
export function initializerFromName(kind: string, field: string, name: unknown, std: number): Initializer {
  switch (name) {
    case 'glorot-uniform':
      return glorotUniform();
    case 'glorot-normal':
      return glorotNormal();
    case 'normal':
      return normalInit(std);
    case 'zeros':
      return zerosInit();
    default:
      throw new Error(`${kind}: config.${field} must be one of ${INITIALIZER_NAMES.join(', ')}, got ${JSON.stringify(name)}`);
  }
}
