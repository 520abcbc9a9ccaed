import { describe, expect, it } from 'vitest';
import { PACKAGE_NAME } from '@spanrel/datasets';
describe('smoke', () => { it('resolves', () => { expect(PACKAGE_NAME).toBe('@spanrel/datasets'); }); });
