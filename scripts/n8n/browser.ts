// Drives the n8n editor in headless Chromium (Debian's `chromium` package) through playwright-core.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { Browser, Page } from 'playwright-core';

import { DEFAULT_OWNER, type Owner } from './rest';
import { REPO_ROOT } from './util';

export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-dev-shm-usage',
];

/** test-output/ is gitignored. */
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-output');

export function chromiumPath(): string {
	const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
	const found = candidates.find((candidate) => candidate && existsSync(candidate));
	if (!found) throw new Error('No Chromium found: `apt-get install -y chromium` (Debian) or set CHROMIUM_PATH.');
	return found;
}

export interface Editor {
	browser: Browser;
	page: Page;
	url: string;
	/** Saves a full-page PNG under test-output/ and returns its path. */
	screenshot(name: string): Promise<string>;
	/** Opens a saved workflow on the canvas and waits for its nodes to render. */
	openWorkflow(workflowId: string): Promise<void>;
	/** Names of the canvas nodes n8n marks "not installed" (unknown type: "Install this node to use it"). */
	notInstalledNodes(): Promise<string[]>;
	/** Names of every node on the canvas. */
	canvasNodes(): Promise<string[]>;
	/** Opens the node panel ("+"), types `query` and returns the names of the nodes listed. */
	searchNodes(query: string): Promise<string[]>;
	close(): Promise<void>;
}

/**
 * Opens the editor at `url`, completing the owner setup form if the instance has no owner yet,
 * or signing in with `owner` otherwise; resolves on the workflows overview.
 */
export async function openEditor(url: string, options: { owner?: Owner; viewport?: { width: number; height: number } } = {}): Promise<Editor> {
	const owner = options.owner ?? DEFAULT_OWNER;
	// Loaded lazily so scripts that never open a browser don't need playwright-core.
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { chromium } = require('playwright-core') as typeof import('playwright-core');
	const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
	try {
		const page = await browser.newPage({ viewport: options.viewport ?? { width: 1440, height: 900 } });
		// Generous: n8n 2.x's editor bundle is large, and the machine may be busy with other work.
		page.setDefaultTimeout(60_000);
		page.setDefaultNavigationTimeout(120_000);
		await page.goto(url, { waitUntil: 'domcontentloaded' });
		await page.waitForURL(/\/(setup|signin|home|workflow)/);

		if (page.url().includes('/setup')) {
			await page.fill('input[name="email"]', owner.email);
			await page.fill('input[name="firstName"]', owner.firstName);
			await page.fill('input[name="lastName"]', owner.lastName);
			await page.fill('input[name="password"]', owner.password);
			await page.click('[data-test-id="form-submit-button"]');
		} else if (page.url().includes('/signin')) {
			await page.fill('input[name="emailOrLdapLoginId"], input[name="email"]', owner.email);
			await page.fill('input[name="password"]', owner.password);
			await page.click('[data-test-id="form-submit-button"]');
		}
		// 1.123 lands on the workflows overview; 2.x may land on an onboarding page (/assistant) first.
		await page.waitForURL((target) => !/^\/(setup|signin)/.test(target.pathname));
		if (!/\/(home|workflow)/.test(page.url())) await page.goto(`${url}/home/workflows`);
		await page.waitForURL(/\/(home|workflow)/);
		await dismissPopups(page);

		const editor: Editor = {
			browser,
			page,
			url,
			async screenshot(name) {
				mkdirSync(SCREENSHOT_DIR, { recursive: true });
				const file = join(SCREENSHOT_DIR, name.endsWith('.png') ? name : `${name}.png`);
				await page.screenshot({ path: file, fullPage: true });
				return file;
			},
			async openWorkflow(workflowId) {
				await page.goto(`${url}/workflow/${workflowId}`);
				await page.waitForSelector('[data-test-id="canvas-node"]');
				await dismissPopups(page);
			},
			async notInstalledNodes() {
				return await page.$$eval('[data-test-id="canvas-node"]', (nodes) =>
					nodes
						.filter((node) => node.querySelector('[data-test-id="node-not-installed"]'))
						.map((node) => node.getAttribute('data-node-name') ?? ''),
				);
			},
			async canvasNodes() {
				return await page.$$eval('[data-test-id="canvas-node"]', (nodes) =>
					nodes.map((node) => node.getAttribute('data-node-name') ?? ''),
				);
			},
			async searchNodes(query) {
				await dismissPopups(page);
				if (!(await page.locator('[data-test-id="node-creator"]').isVisible())) {
					await page.click('[data-test-id="node-creator-plus-button"]');
				}
				const search = page
					.locator('[data-test-id="node-creator-search-bar"]')
					.locator('xpath=self::input | .//input')
					.first();
				await search.fill(query);
				await page.waitForTimeout(700); // the list filters as you type
				return await page.locator('[data-test-id="node-creator"] [data-test-id="node-creator-item-name"]').allInnerTexts();
			},
			async close() {
				await browser.close();
			},
		};
		return editor;
	} catch (error) {
		await browser.close();
		throw error;
	}
}

/** The first visit may show an onboarding survey or other modals; none matter to the tests. */
async function dismissPopups(page: Page): Promise<void> {
	for (const selector of ['[data-test-id="personalization-form"] button', '.el-dialog__headerbtn', '[aria-label="Close"]']) {
		const element = page.locator(selector).first();
		if (await element.isVisible().catch(() => false)) await element.click().catch(() => undefined);
	}
}
