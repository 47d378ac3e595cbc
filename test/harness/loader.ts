import './env';

import * as fs from 'fs';
import * as path from 'path';

import { DirectoryLoader } from 'n8n-core';
import type {
	ICredentialType,
	IDataObject,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { builtinCredentialTypes } from './builtinCredentials';

/** The nearest folder above this file with a package.json (the repository, also when compiled elsewhere). */
function findRepositoryRoot(start: string): string {
	for (let dir = start; ; dir = path.dirname(dir)) {
		if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
		if (path.dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
	}
}

export const REPO_ROOT = findRepositoryRoot(path.resolve(__dirname, '..', '..'));
/** The n8n package: what is published (package.json, nodes/, credentials/). */
export const PACKAGE_ROOT = path.join(REPO_ROOT, 'package');

/**
 * Run as TypeScript (jest, tsx) the harness loads the package's sources; compiled to JavaScript
 * (the benchmark's measured process) it loads the package's build in dist/, the files n8n loads.
 */
const COMPILED = __filename.endsWith('.js');
const PACKAGE_SOURCES = COMPILED ? path.join(PACKAGE_ROOT, 'dist') : PACKAGE_ROOT;
const EXTENSION = COMPILED ? '.js' : '.ts';

function readPackageName(): string {
	const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
		name?: string;
	};
	if (!pkg.name) throw new Error('package.json has no "name"');
	return pkg.name;
}

/** The package's npm name; a community-package install registers nodes as `<name>.<node>`. */
export const PACKAGE_NAME: string = readPackageName();

/** Prefix of the harness's own test-only node types (`test.input`, `test.checkNumber`, ...). */
export const TEST_PACKAGE_NAME = 'test';

/** Files directly inside `dir/<sub>/` (depth 2) or `dir/` (depth 1) ending with `suffix`. */
function findFiles(dir: string, suffix: string, depth: 1 | 2): string[] {
	if (!fs.existsSync(dir)) return [];
	const out: string[] = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (depth === 1 && entry.isFile() && entry.name.endsWith(suffix)) out.push(full);
		if (depth === 2 && entry.isDirectory()) {
			for (const inner of fs.readdirSync(full, { withFileTypes: true })) {
				if (inner.isFile() && inner.name.endsWith(suffix)) out.push(path.join(full, inner.name));
			}
		}
	}
	return out.sort();
}

/**
 * n8n-core's own `DirectoryLoader`, pointed at TypeScript sources. Going through it (instead of
 * `new Node()` by hand) gives what an n8n install does to a node: `pollTimes` added to polling
 * nodes, loadOptions method lists, declarative option parameters, description validation, and
 * class-name-from-file-name loading (`Foo.node.ts` must export `Foo`).
 */
class SourceDirectoryLoader extends DirectoryLoader {
	packageName: string;

	constructor(
		directory: string,
		packageName: string,
		private readonly nodeFiles: string[],
		private readonly credentialFiles: string[],
	) {
		super(directory);
		this.packageName = packageName;
	}

	async loadAll(): Promise<void> {
		this.loadAllSync();
	}

	loadAllSync(): void {
		const withContext = (file: string, load: () => void) => {
			try {
				load();
			} catch (error) {
				const message = error instanceof Error ? error.message : String(error);
				throw new Error(`n8n could not load ${path.relative(PACKAGE_ROOT, file)}: ${message}`, {
					cause: error,
				});
			}
		};
		for (const file of this.nodeFiles) withContext(file, () => this.loadNodeFromFile(file));
		for (const file of this.credentialFiles) {
			withContext(file, () => this.loadCredentialFromFile(file));
		}
	}
}

export type AnyNodeType = INodeType | IVersionedNodeType;

export class HarnessNodeTypes implements INodeTypes {
	constructor(readonly types: Record<string, { type: AnyNodeType; sourcePath: string }>) {}

	/** Accepts full names, `CUSTOM.<name>` (custom-folder installs) and bare `<name>`. */
	resolveName(nodeType: string): string {
		if (nodeType in this.types) return nodeType;
		const [prefix, ...rest] = nodeType.split('.');
		const short = rest.length > 0 ? rest.join('.') : prefix;
		if (rest.length === 0 || prefix === 'CUSTOM') {
			for (const pkg of [PACKAGE_NAME, TEST_PACKAGE_NAME]) {
				if (`${pkg}.${short}` in this.types) return `${pkg}.${short}`;
			}
		}
		throw new Error(
			`Unknown node type "${nodeType}". Known types: ${Object.keys(this.types).join(', ') || '(none)'}`,
		);
	}

	getByName(nodeType: string): AnyNodeType {
		return this.types[this.resolveName(nodeType)].type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		const known: IDataObject = {};
		for (const [name, { type, sourcePath }] of Object.entries(this.types)) {
			known[name] = { className: type.constructor.name, sourcePath };
		}
		return known;
	}

	/** The version n8n would give a new node of this type. */
	defaultVersion(nodeType: string): number {
		const type = this.getByName(nodeType);
		if ('nodeVersions' in type) return type.currentVersion;
		const { version, defaultVersion } = type.description;
		if (defaultVersion !== undefined) return defaultVersion;
		return Array.isArray(version) ? version[version.length - 1] : version;
	}
}

export class HarnessCredentialTypes {
	constructor(readonly types: Record<string, ICredentialType>) {}

	has(name: string): boolean {
		return name in this.types;
	}

	getByName(name: string): ICredentialType {
		const type = this.types[name];
		if (!type) {
			throw new Error(
				`Unknown credential type "${name}". Known types: ${Object.keys(this.types).join(', ')}`,
			);
		}
		return type;
	}

	/** All ancestors along `extends`, nearest first (like n8n's CredentialTypes.getParentTypes). */
	getParentTypes(name: string): string[] {
		const parents = this.types[name]?.extends ?? [];
		const all = [...parents];
		for (const parent of parents) all.push(...this.getParentTypes(parent));
		return all;
	}
}

export interface LoadOptions {
	/** Also register the harness's own test-only nodes (`test.*`) and credentials. */
	includeTestNodes?: boolean;
}

interface Loaded {
	nodeTypes: HarnessNodeTypes;
	credentialTypes: HarnessCredentialTypes;
}

const cache = new Map<string, Loaded>();

function loadDirectory(
	directory: string,
	packageName: string,
	nodeFiles: string[],
	credentialFiles: string[],
): SourceDirectoryLoader {
	const loader = new SourceDirectoryLoader(directory, packageName, nodeFiles, credentialFiles);
	loader.loadAllSync();
	return loader;
}

/**
 * Loads every `nodes/<Name>/<Name>.node.ts` and `credentials/<Name>.credentials.ts` of the
 * package (globbed at call time, cached per jest module registry), optionally plus the
 * harness's test-only nodes and credentials.
 */
export function loadAll(options: LoadOptions = {}): Loaded {
	const key = options.includeTestNodes ? 'with-test' : 'package';
	const cached = cache.get(key);
	if (cached) return cached;

	const loaders = [
		loadDirectory(
			PACKAGE_SOURCES,
			PACKAGE_NAME,
			findFiles(path.join(PACKAGE_SOURCES, 'nodes'), `.node${EXTENSION}`, 2),
			findFiles(path.join(PACKAGE_SOURCES, 'credentials'), `.credentials${EXTENSION}`, 1),
		),
	];
	if (options.includeTestNodes) {
		loaders.push(
			loadDirectory(
				__dirname,
				TEST_PACKAGE_NAME,
				findFiles(path.join(__dirname, 'testNodes'), `.node${EXTENSION}`, 1),
				findFiles(path.join(__dirname, 'testCredentials'), `.credentials${EXTENSION}`, 1),
			),
		);
	}

	const nodes: Record<string, { type: AnyNodeType; sourcePath: string }> = {};
	const credentials: Record<string, ICredentialType> = {};
	for (const type of builtinCredentialTypes) credentials[type.name] = type;
	for (const loader of loaders) {
		for (const [name, data] of Object.entries(loader.nodeTypes)) {
			nodes[`${loader.packageName}.${name}`] = data;
		}
		for (const [name, data] of Object.entries(loader.credentialTypes)) {
			if (name in credentials && !builtinCredentialTypes.some((t) => t.name === name)) {
				throw new Error(`Credential type "${name}" is defined twice`);
			}
			credentials[name] = data.type;
		}
	}

	const loaded = {
		nodeTypes: new HarnessNodeTypes(nodes),
		credentialTypes: new HarnessCredentialTypes(credentials),
	};
	cache.set(key, loaded);
	return loaded;
}
