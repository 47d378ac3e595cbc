import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ERROR_CATALOGUE } from '../package/nodes/shared/errors';

const root = join(__dirname, '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

describe('docs say what the code does', () => {
	it('the README\'s error table names every code in the catalogue', () => {
		const readme = read('README.md');
		const start = readme.indexOf('### When an invoice cannot sync');
		const end = readme.indexOf('\n## ', start);
		expect(start).toBeGreaterThan(-1);
		const table = readme.slice(start, end === -1 ? undefined : end);
		const missing = Object.keys(ERROR_CATALOGUE).filter((code) => !table.includes(`\`${code}\``));
		expect(missing).toEqual([]);
	});

	it('docs/API_FACTS.md gives every fact a source and a status', () => {
		const entries = read('docs/API_FACTS.md').split(/^### /m).slice(1);
		expect(entries.length).toBeGreaterThan(40);
		const incomplete = entries
			.filter((entry) => !/^- Source: \S/m.test(entry) || !/^- Status: \S/m.test(entry))
			.map((entry) => entry.split('\n')[0]);
		expect(incomplete).toEqual([]);
	});
});
