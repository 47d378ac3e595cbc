/**
 * Secret-leak detection: recognisable credentials, a capture of everything the nodes log (n8n's
 * logger at every level, and the console), and a scanner that counts any credential found in
 * output items, error messages, log lines, Slack messages or anything else a test hands it.
 */
import { randomBytes } from 'crypto';
import { inspect } from 'util';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { LoggerProxy } from 'n8n-workflow';

import { SANDBOX_QBO_CLIENT, type Sandbox } from '../../../sandbox';
import { DEFAULT_OAUTH_CLIENT } from '../../../sandbox/hubspot';

/** Shapes of every token the sandbox issues, and of the markers below. */
export const SECRET_PATTERNS: RegExp[] = [
	/qbo-sim-at-[A-Za-z0-9_-]{8,}/g, // QuickBooks access tokens
	/AB11-sim-(?:rt|code)-[A-Za-z0-9_-]{8,}/g, // QuickBooks refresh tokens and codes
	/sandbox-hubspot-(?:oauth|refresh|code|pat)-[A-Za-z0-9-]{8,}/g, // HubSpot tokens
	/sandbox-(?:hubspot|qbo)-client-secret-[A-Za-z0-9-]{8,}/g,
	/RELIABILITY-SECRET-[A-Za-z0-9-]+/g, // client secrets set by installSecretMarkers
];

const originalSecrets = { qbo: SANDBOX_QBO_CLIENT.clientSecret, hubspot: DEFAULT_OAUTH_CLIENT.clientSecret };

/**
 * Gives both OAuth apps a unique, recognisable client secret (call before `start()`). The sandbox
 * reads these objects when it starts, so the simulators accept the marked secrets.
 */
export function installSecretMarkers(): { qbo: string; hubspot: string; restore(): void } {
	const run = randomBytes(6).toString('hex');
	const qbo = `RELIABILITY-SECRET-qbo-client-${run}`;
	const hubspot = `RELIABILITY-SECRET-hubspot-client-${run}`;
	SANDBOX_QBO_CLIENT.clientSecret = qbo;
	DEFAULT_OAUTH_CLIENT.clientSecret = hubspot;
	return {
		qbo,
		hubspot,
		restore() {
			SANDBOX_QBO_CLIENT.clientSecret = originalSecrets.qbo;
			DEFAULT_OAUTH_CLIENT.clientSecret = originalSecrets.hubspot;
		},
	};
}

/**
 * The exact credential values a sandbox handed out (tokens issued later match SECRET_PATTERNS),
 * and the Basic-auth forms of the client credentials (base64 of "id:secret"), which hide a secret
 * from a plain-text search.
 */
export function sandboxSecrets(sandbox: Pick<Sandbox, 'credentials'>): string[] {
	const { hubspot, quickbooks } = sandbox.credentials;
	const basic = (id: string, secret: string) => Buffer.from(`${id}:${secret}`).toString('base64');
	return [
		hubspot.accessToken,
		hubspot.clientSecret,
		hubspot.oauth.access_token,
		hubspot.oauth.refresh_token,
		quickbooks.clientSecret,
		quickbooks.oauthTokenData.access_token,
		quickbooks.oauthTokenData.refresh_token,
		basic(quickbooks.clientId, quickbooks.clientSecret),
		basic(hubspot.clientId, hubspot.clientSecret),
		encodeURIComponent(quickbooks.clientSecret),
		encodeURIComponent(hubspot.clientSecret),
	].filter((value): value is string => typeof value === 'string' && value.length >= 8);
}

export interface Leak {
	where: string;
	secret: string;
}

function stringify(value: unknown): string {
	if (typeof value === 'string') return value;
	try {
		return JSON.stringify(value, (_key, entry: unknown) => (entry instanceof Error ? { ...entry, name: entry.name, message: entry.message, stack: entry.stack } : entry)) ?? '';
	} catch {
		return inspect(value, { depth: 12 });
	}
}

export class SecretScanner {
	readonly leaks: Leak[] = [];
	private readonly exact = new Set<string>();
	scannedBytes = 0;

	constructor(secrets: string[] = []) {
		for (const secret of secrets) this.exact.add(secret);
	}

	addSecrets(secrets: string[]): void {
		for (const secret of secrets) if (secret) this.exact.add(secret);
	}

	/** Counts every credential found in `value` (any JSON-able value or text). */
	scan(where: string, value: unknown): number {
		const text = stringify(value);
		this.scannedBytes += text.length;
		const found = new Set<string>();
		for (const pattern of SECRET_PATTERNS) for (const match of text.matchAll(pattern)) found.add(match[0]);
		for (const secret of this.exact) if (text.includes(secret)) found.add(secret);
		for (const secret of found) this.leaks.push({ where, secret: `${secret.slice(0, 14)}…` });
		return found.size;
	}

	get count(): number {
		return this.leaks.length;
	}
}

export interface LogCapture {
	lines: string[];
	restore(): void;
}

/**
 * Captures what n8n's logger receives (the `this.logger` of node contexts and n8n-core's
 * LoggerProxy, every level) and what is written to the console, while the capture is installed.
 */
export function captureLogs(): LogCapture {
	const lines: string[] = [];
	const push = (level: string) => (message: unknown, metadata?: unknown) => {
		lines.push(`${level} ${stringify(message)}${metadata === undefined ? '' : ` ${stringify(metadata)}`}`);
	};
	const capture = {
		error: push('error'),
		warn: push('warn'),
		info: push('info'),
		debug: push('debug'),
		verbose: push('verbose'),
		scoped: () => capture,
	};
	const previous = Container.has(Logger) ? Container.get(Logger) : undefined;
	Container.set(Logger, capture as unknown as Logger);
	LoggerProxy.init(capture as never);
	const consoleMethods = ['log', 'info', 'warn', 'error', 'debug'] as const;
	const originals = consoleMethods.map((name) => console[name]);
	for (const name of consoleMethods) {
		console[name] = (...args: unknown[]) => lines.push(`console.${name} ${args.map(stringify).join(' ')}`);
	}
	return {
		lines,
		restore() {
			consoleMethods.forEach((name, index) => {
				console[name] = originals[index];
			});
			if (previous) {
				Container.set(Logger, previous);
				LoggerProxy.init(previous as never);
			}
		},
	};
}
