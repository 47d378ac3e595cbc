/** Sandbox data sets: the demo (`defaultDataset`) and the scalable generator (`generateDataset`). */
import { defaultDataset } from './default';
import { generateDataset } from './generate';
import type { Dataset, GenerateOptions } from './types';

export * from './types';
export { defaultDataset, DEFAULT_NOW, DEMO_ITEMS, DEMO_TAX_MAPPING, DEMO_CA_TAX_MAPPING } from './default';
export { generateDataset } from './generate';
export { reverseDataset, REVERSE_REALM_ID, REVERSE_TAX_MAPPING } from './reverse';
export type { ReverseDataset, ReverseExpectation, QuickBooksUserAction, ReverseTaxMapping } from './reverseTypes';
export { DEMO_TAX_RATES } from './hubspotBuilders';
export { US_REALM_ID, CA_REALM_ID } from './qboBuilders';

/** What `start({ dataset })` accepts: 'default', generator options, or a ready data set. */
export type DatasetOption = 'default' | 'generated' | GenerateOptions | Dataset;

export function isDataset(value: unknown): value is Dataset {
	return !!value && typeof value === 'object' && 'hubspot' in value && 'quickbooks' in value && 'expectations' in value;
}

export function resolveDataset(option: DatasetOption | undefined, seed?: number): Dataset {
	if (option === undefined || option === 'default') return defaultDataset();
	if (option === 'generated') return generateDataset({ seed });
	if (isDataset(option)) return option;
	return generateDataset({ seed, ...option });
}
