/** Fill colours of entity types, by position in the schema (a light palette, so dark text stays readable). */
const PALETTE = ['#aec7e8', '#ffbb78', '#98df8a', '#c5b0d5', '#c49c94', '#f7b6d2', '#dbdb8d', '#9edae5', '#c7c7c7', '#ff9896'];

/** A colour per entity type of the schema; types outside it get the last colour. */
export function typeColors(types: readonly string[]): (type: string) => string {
  const index = new Map(types.map((t, i) => [t, i]));
  return (type) => PALETTE[(index.get(type) ?? PALETTE.length - 1) % PALETTE.length]!;
}
