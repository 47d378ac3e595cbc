/**
 * Process-wide settings the harness needs before n8n-core touches its DI container.
 *
 * - n8n-core's `InstanceSettings` (resolved by every node execution context) reads or creates
 *   `<N8N_USER_FOLDER>/.n8n/config`. Left alone it would write into the real home directory,
 *   and parallel jest workers would race on creating that one file; each jest worker slot gets
 *   its own folder under the OS temp directory instead (reused by later runs, so nothing piles up).
 * - n8n's logger prints every node error (expected ones included) to stdout; it is silenced
 *   unless N8N_LOG_LEVEL is set (e.g. `N8N_LOG_LEVEL=debug npx jest ...` to see it).
 */
import * as os from 'os';
import * as path from 'path';

if (process.env.N8N_USER_FOLDER === undefined) {
	const slot = process.env.JEST_WORKER_ID ?? 'main';
	process.env.N8N_USER_FOLDER = path.join(os.tmpdir(), `n8n-node-test-harness-${slot}`);
	// Only with our own folder: a key that differs from an existing config file is an error.
	process.env.N8N_ENCRYPTION_KEY ??= 'n8n-node-test-harness-key';
}
if (process.env.N8N_LOG_LEVEL === undefined) {
	process.env.N8N_LOG_LEVEL = 'silent';
}

export {};
