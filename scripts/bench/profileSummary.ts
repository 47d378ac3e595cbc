/**
 * Summaries of the runner's V8 profiles (written with `npm run bench -- --profile DIR`): CPU self
 * time and sampled allocations, by function and by file, repository files first.
 *
 *   npx tsx scripts/bench/profileSummary.ts DIR/bench-1000-123.cpuprofile [DIR/...heapprofile]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface CallFrame {
	functionName: string;
	url: string;
	lineNumber: number;
}

interface CpuNode {
	id: number;
	callFrame: CallFrame;
	children?: number[];
}

interface CpuProfile {
	nodes: CpuNode[];
	samples: number[];
	timeDeltas: number[];
}

interface HeapNode {
	callFrame: CallFrame;
	selfSize: number;
	children: HeapNode[];
}

const REPO = path.resolve(__dirname, '..', '..');

function fileOf(url: string): string {
	const file = url.replace(/^file:\/\//, '');
	if (!file) return '(native)';
	if (file.startsWith(REPO)) {
		const relative = path.relative(REPO, file);
		const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(relative);
		return match ? `node_modules/${match[1]}` : relative;
	}
	return file.startsWith('node:') ? file : path.basename(file);
}

function top(map: Map<string, number>, count: number, total: number, unit: string): string[] {
	return [...map.entries()]
		.sort((a, b) => b[1] - a[1])
		.slice(0, count)
		.map(([key, value]) => `${(value / (unit === 'ms' ? 1000 : 2 ** 20)).toFixed(1).padStart(9)} ${unit}  ${((100 * value) / total).toFixed(1).padStart(5)} %  ${key}`);
}

export function summarizeCpuProfile(profile: CpuProfile, count = 25): string {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
	const selfByFunction = new Map<string, number>();
	const selfByFile = new Map<string, number>();
	/** Inclusive time per repository file (a sample counts once per file on its stack). */
	const inclusiveByRepoFile = new Map<string, number>();
	let total = 0;
	profile.samples.forEach((id, index) => {
		const micros = profile.timeDeltas[index] ?? 0;
		const node = byId.get(id);
		if (!node) return;
		const { functionName, url, lineNumber } = node.callFrame;
		if (functionName === '(idle)' || functionName === '(program)') return;
		total += micros;
		const file = fileOf(url);
		const fn = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
		selfByFunction.set(fn, (selfByFunction.get(fn) ?? 0) + micros);
		selfByFile.set(file, (selfByFile.get(file) ?? 0) + micros);
		const seen = new Set<string>();
		for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
			const frameFile = fileOf(byId.get(current)!.callFrame.url);
			if (/^(nodes|credentials|scripts|test|sandbox)\//.test(frameFile) && !seen.has(frameFile)) {
				seen.add(frameFile);
				inclusiveByRepoFile.set(frameFile, (inclusiveByRepoFile.get(frameFile) ?? 0) + micros);
			}
		}
	});
	return [
		`CPU samples (busy): ${(total / 1000).toFixed(0)} ms`,
		'Self time by function:',
		...top(selfByFunction, count, total, 'ms'),
		'Self time by file / package:',
		...top(selfByFile, count, total, 'ms'),
		'Inclusive time by repository file:',
		...top(inclusiveByRepoFile, count, total, 'ms'),
	].join('\n');
}

export function summarizeHeapProfile(root: HeapNode, count = 25): string {
	const bySite = new Map<string, number>();
	const byRepoFrame = new Map<string, number>();
	let total = 0;
	const walk = (node: HeapNode, repoFrame: string | undefined) => {
		const file = fileOf(node.callFrame.url);
		const site = `${node.callFrame.functionName || '(anonymous)'} ${file}:${node.callFrame.lineNumber + 1}`;
		const inRepo = /^(nodes|credentials|scripts|test|sandbox)\//.test(file) ? site : repoFrame;
		if (node.selfSize) {
			total += node.selfSize;
			bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
			const key = inRepo ?? '(outside repository code)';
			byRepoFrame.set(key, (byRepoFrame.get(key) ?? 0) + node.selfSize);
		}
		for (const child of node.children) walk(child, inRepo);
	};
	walk(root, undefined);
	return [
		`Sampled allocations (collected ones included): ${(total / 2 ** 20).toFixed(0)} MB`,
		'By allocating function:',
		...top(bySite, count, total, 'MB'),
		'By innermost repository function on the stack:',
		...top(byRepoFrame, count, total, 'MB'),
	].join('\n');
}

if (require.main === module) {
	for (const file of process.argv.slice(2)) {
		const data = JSON.parse(fs.readFileSync(file, 'utf8'));
		console.log(`== ${file}`);
		console.log(file.endsWith('.heapprofile') ? summarizeHeapProfile(data.head) : summarizeCpuProfile(data));
	}
}
