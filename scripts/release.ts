// `npm run release`: the one way this package reaches npm.
//
// On a maintainer's machine, `npm run release -- <patch|minor|major|x.y.z>`: checks that the tree is
// clean and CHANGELOG.md has a section for the new version, runs the checks n8n's review runs
// (build, lint, tests, `npm run scan`), then bumps package/package.json, commits, tags `x.y.z` and
// pushes the tag. The push starts .github/workflows/publish.yml.
//
// In that workflow (GitHub Actions, tag push), `npm run release`: checks the tag is the
// package/package.json version, runs type-check, tests and the scan, then hands over to n8n's
// `n8n-node release` in package/, which runs lint and build and publishes with an npm provenance statement,
// which n8n requires of verified community nodes. The repository's .npmrc turns lifecycle scripts
// off, so checks live here rather than in a prepublishOnly hook. (Locally `n8n-node release` would
// write the changelog from commit messages with release-it; ours is written by hand.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { PACKAGE_ROOT, REPO_ROOT, npmCliPath, run } from './n8n/util';

const inGitHubActions = process.env.GITHUB_ACTIONS === 'true';

function say(message: string): void {
	process.stderr.write(`[release] ${message}\n`);
}

const npm = (args: string[]) => run(process.execPath, [npmCliPath(), ...args], { cwd: REPO_ROOT, echo: true });
const git = (args: string[]) => run('git', args, { cwd: REPO_ROOT });

function packageVersion(): string {
	return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The version `npm version <bump>` would produce, without writing anything. */
function nextVersion(current: string, bump: string): string {
	if (/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(bump)) return bump;
	const [major, minor, patch] = current.split('-')[0].split('.').map(Number);
	if (bump === 'major') return `${major + 1}.0.0`;
	if (bump === 'minor') return `${major}.${minor + 1}.0`;
	if (bump === 'patch') return `${major}.${minor}.${patch + 1}`;
	throw new Error(`Unknown version bump "${bump}": use patch, minor, major or x.y.z`);
}

function requireChangelogEntry(version: string): void {
	const changelog = readFileSync(join(REPO_ROOT, 'CHANGELOG.md'), 'utf8');
	if (!new RegExp(`^## \\[?${version.replace(/\./g, '\\.')}\\]?`, 'm').test(changelog)) {
		throw new Error(`CHANGELOG.md has no "## ${version}" section: describe the release there first`);
	}
}

async function checks(scripts = ['build', 'lint', 'typecheck', 'test', 'scan']): Promise<void> {
	for (const script of scripts) {
		say(`npm run ${script}`);
		await npm(['run', script]);
	}
}

async function publishFromCi(): Promise<void> {
	const version = packageVersion();
	const tag = process.env.GITHUB_REF_NAME;
	if (tag !== version) throw new Error(`The tag (${tag}) is not package.json's version (${version})`);
	requireChangelogEntry(version);
	// n8n-node release runs lint and build itself, right before publishing; the build here first puts
	// README.md, LICENSE and CHANGELOG.md into package/ (scripts/packageDocs.ts).
	await checks(['build', 'typecheck', 'test', 'scan']);
	say(`n8n-node release: lint, build, npm publish ${version} with provenance`);
	await run(process.execPath, [join(REPO_ROOT, 'node_modules', '@n8n', 'node-cli', 'bin', 'n8n-node.mjs'), 'release'], {
		cwd: PACKAGE_ROOT,
		echo: true,
	});
}

async function tagFromMaintainer(bump: string | undefined): Promise<void> {
	if (!bump) throw new Error('Usage: npm run release -- <patch|minor|major|x.y.z>');
	const { stdout: status } = await git(['status', '--porcelain']);
	if (status.trim()) throw new Error('The work tree has uncommitted changes: commit or remove them first');
	const version = nextVersion(packageVersion(), bump);
	requireChangelogEntry(version);
	await checks();
	say(`npm version ${version} in package/ (commit and tag ${version})`);
	await npm(['version', version, '--workspace', 'package', '--no-git-tag-version']);
	await git(['commit', '-am', `Release ${version}`]);
	await git(['tag', '-a', version, '-m', `Release ${version}`]);
	await git(['push', '--follow-tags']);
	say(`Pushed tag ${version}: .github/workflows/publish.yml publishes it with provenance`);
}

(inGitHubActions ? publishFromCi() : tagFromMaintainer(process.argv[2])).catch((error: Error) => {
	say(error.message);
	process.exit(1);
});
