// How n8n lists the package's nodes: a codex file per node (category, docs links into the README),
// light and dark icons, names, subtitles that read as labels, and the AI-tool flag only where an
// agent could supply everything the node needs.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import type { ICredentialType, INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';

const root = join(__dirname, '..');
/** The published package's folder. */
const packageRoot = join(root, 'package');
const packageJson = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as {
	name: string;
	homepage: string;
	n8n: { nodes: string[]; credentials: string[] };
};

/** The categories n8n's node panel groups community nodes under. */
const N8N_CATEGORIES = [
	'AI',
	'Analytics',
	'Communication',
	'Core Nodes',
	'Data & Storage',
	'Development',
	'Finance & Accounting',
	'Marketing',
	'Miscellaneous',
	'Productivity',
	'Sales',
	'Utility',
];

/** `dist/nodes/X/X.node.js` → the TypeScript source next to which its codex and icons live. */
const sourceOf = (distPath: string) => join(packageRoot, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));

function loadClass<T>(file: string): T {
	const exports = require(file) as Record<string, new () => T>;
	const [constructor] = Object.values(exports);
	return new constructor();
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
const githubSlug = (heading: string) =>
	heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N} _-]/gu, '')
		.replace(/ /g, '-');

const readmeAnchors = new Set(
	readFileSync(join(root, 'README.md'), 'utf8')
		.split('\n')
		.filter((line) => /^#{1,6} /.test(line))
		.map((line) => githubSlug(line.replace(/^#+ /, ''))),
);

function expectThemedIcon(icon: unknown, dir: string): void {
	const themed = icon as { light: string; dark: string };
	expect(typeof icon).toBe('object');
	for (const variant of [themed.light, themed.dark]) {
		expect(variant).toMatch(/^file:.+\.svg$/);
		expect(existsSync(join(dir, variant.replace(/^file:/, ''))) ? variant : `missing ${variant}`).toBe(variant);
	}
	expect(themed.dark).not.toBe(themed.light);
}

/** Evaluates a `={{ … }}` subtitle the way the editor does, for the given parameter values. */
function renderSubtitle(subtitle: string, parameters: Record<string, unknown>): string {
	const body = subtitle.replace(/^=\{\{/, '').replace(/\}\}$/, '');
	return String(new Function('$parameter', `return (${body});`)(parameters));
}

const nodes = packageJson.n8n.nodes.map((distPath) => {
	const source = sourceOf(distPath);
	return { source, description: loadClass<INodeType>(source).description };
});

describe.each(nodes.map(({ source, description }) => [description.displayName, source, description] as const))(
	'%s',
	(_displayName, source, description: INodeTypeDescription) => {
		const codexFile = source.replace(/\.ts$/, '.json');

		it('has a codex file next to it naming the node as n8n registers it, with n8n categories', () => {
			expect(existsSync(codexFile)).toBe(true);
			const codex = JSON.parse(readFileSync(codexFile, 'utf8'));
			expect(codex.node).toBe(`${packageJson.name}.${description.name}`);
			expect(codex.categories.length).toBeGreaterThan(0);
			expect(codex.categories.filter((category: string) => !N8N_CATEGORIES.includes(category))).toEqual([]);
		});

		it('links its primary and credential documentation to headings of the package README', () => {
			const codex = JSON.parse(readFileSync(codexFile, 'utf8'));
			const urls: string[] = [
				...codex.resources.primaryDocumentation,
				...codex.resources.credentialDocumentation,
			].map((link: { url: string }) => link.url);
			expect(codex.resources.primaryDocumentation).toHaveLength(1);
			expect(codex.resources.credentialDocumentation).toHaveLength(1);
			for (const url of urls) {
				expect(url.startsWith(`${packageJson.homepage}#`)).toBe(true);
				const anchor = url.slice(url.indexOf('#') + 1);
				expect(readmeAnchors.has(anchor) ? anchor : `no README heading for #${anchor}`).toBe(anchor);
			}
		});

		it('has a light and a dark icon, both files present', () => {
			expectThemedIcon(description.icon, dirname(source));
		});

		it('is placed on the canvas under its display name', () => {
			expect(description.defaults.name).toBe(description.displayName);
		});

		it('has a subtitle, as n8n\'s lint rules for community nodes require', () => {
			expect(description.subtitle ?? 'no subtitle').toMatch(/^=\{\{.+\}\}$/);
		});

		it('shows labels in its subtitle, never internal values', () => {
			if (!description.subtitle) return;
			const shown = description.properties.filter(
				(property: INodeProperties) =>
					['options', 'boolean', 'multiOptions'].includes(property.type) && description.subtitle!.includes(`$parameter["${property.name}"]`),
			);
			const defaults = Object.fromEntries(description.properties.map((property) => [property.name, property.default]));
			expect(renderSubtitle(description.subtitle, defaults)).not.toMatch(/undefined|null/);
			for (const property of shown) {
				const choices =
					property.type === 'boolean'
						? [{ name: '', value: true }, { name: '', value: false }]
						: (property.options as Array<{ name: string; value: string }>);
				// A multi-choice parameter is shown with each choice alone, then with all of them.
				const values = (value: unknown) => (property.type === 'multiOptions' ? [value] : value);
				if (property.type === 'multiOptions') {
					const all = renderSubtitle(description.subtitle, { ...defaults, [property.name]: choices.map((choice) => choice.value) });
					for (const choice of choices) expect(all).toContain(choice.name);
				}
				for (const choice of choices) {
					const rendered = renderSubtitle(description.subtitle, { ...defaults, [property.name]: values(choice.value) });
					expect(rendered).not.toMatch(/undefined|null|true|false/);
					if (choice.name && choice.name !== choice.value) expect(rendered).toContain(choice.name);
					if (typeof choice.value === 'string' && choice.name !== choice.value) expect(rendered).not.toContain(choice.value);
				}
			}
		});
	},
);

describe('AI tool use', () => {
	it('is offered only by SKU Match, whose Audit Catalogs needs no invoice from its input', () => {
		const tools = nodes.filter(({ description }) => description.usableAsTool).map(({ description }) => description.name);
		expect(tools).toEqual(['skuMatch']);
	});

	it("is declared by every node that is not a trigger, as n8n's verification requires", () => {
		const undeclared = nodes
			.filter(({ description }) => !description.group.includes('trigger') && !('usableAsTool' in description))
			.map(({ description }) => description.name);
		expect(undeclared).toEqual([]);
	});
});

describe('credentials', () => {
	it.each(packageJson.n8n.credentials)('%s has a light and a dark icon, both files present', (distPath) => {
		const source = sourceOf(distPath);
		expectThemedIcon(loadClass<ICredentialType>(source).icon, dirname(source));
	});
});
