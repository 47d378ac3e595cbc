/**
 * HubSpot's webhook delivery, simulated: an app's subscriptions (object creation and property
 * changes, by object type and property) turn the portal's saved changes into events, which are
 * POSTed to the app's target URL as JSON arrays of up to 100, signed with the v3 signature
 * (X-HubSpot-Signature-v3, X-HubSpot-Request-Timestamp) using the app's client secret, and sent
 * again with growing delays when the target answers an error or does not answer in time.
 *
 * What HubSpot documents is enforced as such (batches of 100, the v3 signature, up to 10 retries,
 * no retry on 400, 401, 403, 404 and 405); what it leaves open is a named setting: the wait before
 * a batch leaves, the retry delays (documented only as spread over about a day; `timeScale`
 * compresses them), the response timeout, and whether events arrive in order.
 */
import { createHmac } from 'crypto';

import { seededRandom } from '../common/random';
import type { StoreChange } from './store';
import type { ObjectType } from './types';

/** HubSpot's object type ids for the objects the webhooks name. */
export const OBJECT_TYPE_IDS: Partial<Record<ObjectType, string>> = { invoices: '0-53', contacts: '0-1', companies: '0-2', line_items: '0-8' };

export interface WebhookSubscription {
	subscriptionType: 'object.creation' | 'object.propertyChange';
	objectTypeId: string;
	/** For property changes: the property watched. */
	propertyName?: string;
}

export interface WebhookDeliverySettings {
	/** The app's target URL: what HubSpot signs, and calls unless `deliverTo` is set. */
	targetUrl: string;
	/** Where requests actually go when the target URL is a public name for it (a reverse proxy in front of n8n). */
	deliverTo?: string;
	clientSecret: string;
	appId: number;
	/** Events per request; HubSpot sends up to 100. */
	maxBatchSize: number;
	/** How long events gather before a request leaves (undocumented). */
	batchWindowMs: number;
	/** Requests in flight at once (the app's concurrency setting). */
	maxConcurrentRequests: number;
	/** Delay before each retry, in real-time ms; there are as many retries as entries (HubSpot: up to 10). */
	retryDelaysMs: number[];
	/** Multiplies every retry delay (1 = real time; 1/60000 turns a minute into a millisecond). */
	timeScale: number;
	/** Statuses HubSpot does not retry. */
	noRetryStatuses: number[];
	/** A request that takes longer counts as failed and is retried (undocumented here: assumed 5 s). */
	timeoutMs: number;
	/** Shuffle the events of each request (HubSpot does not promise order). */
	outOfOrder: boolean;
	/** Seed of the shuffle. */
	seed: number;
}

/** About a day in all, doubling from a minute (HubSpot: up to 10 retries, spread over 24 hours). */
export const DEFAULT_RETRY_DELAYS_MS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512].map((minutes) => minutes * 60_000 * 1.4);

export const DEFAULT_WEBHOOK_SETTINGS: Omit<WebhookDeliverySettings, 'targetUrl' | 'clientSecret'> = {
	appId: 1_234_567,
	maxBatchSize: 100,
	batchWindowMs: 50,
	maxConcurrentRequests: 10,
	retryDelaysMs: DEFAULT_RETRY_DELAYS_MS,
	timeScale: 1,
	noRetryStatuses: [400, 401, 403, 404, 405],
	timeoutMs: 5000,
	outOfOrder: false,
	seed: 17,
};

export interface WebhookEventPayload {
	eventId: number;
	subscriptionId: number;
	portalId: number;
	appId: number;
	occurredAt: number;
	subscriptionType: string;
	attemptNumber: number;
	objectId: number;
	objectTypeId: string;
	changeSource: string;
	propertyName?: string;
	propertyValue?: string;
}

export interface DeliveryAttempt {
	attemptNumber: number;
	events: number;
	status: number | 'timeout' | 'failed';
	sentAt: number;
	/** The events' ids and objects, as sent. */
	eventIds: number[];
}

/**
 * The v3 signature of a request, as HubSpot computes it. Written here apart from the node's
 * signature.ts on purpose: the simulator is the other party, so a mistake in one shows in tests.
 * The target URLs used here hold no percent-encoded characters, so the URI is signed as given.
 */
export function signV3(clientSecret: string, method: string, uri: string, body: string, timestamp: string): string {
	return createHmac('sha256', clientSecret).update(`${method}${uri}${body}${timestamp}`, 'utf8').digest('base64');
}

/** The headers of a signed request. */
export function signedHeaders(clientSecret: string, uri: string, body: string, nowMs: number): Record<string, string> {
	const timestamp = String(nowMs);
	return {
		'content-type': 'application/json',
		'x-hubspot-signature-v3': signV3(clientSecret, 'POST', uri, body, timestamp),
		'x-hubspot-request-timestamp': timestamp,
	};
}

export class HubSpotWebhookDelivery {
	settings: WebhookDeliverySettings | undefined;
	readonly subscriptions: Array<WebhookSubscription & { id: number }> = [];
	readonly attempts: DeliveryAttempt[] = [];
	private queue: WebhookEventPayload[] = [];
	private timer: ReturnType<typeof setTimeout> | undefined;
	private inFlight = 0;
	private readonly waiting: Array<() => void> = [];
	private readonly pending = new Set<Promise<void>>();
	private nextEventId = 1;
	private random: () => number = Math.random;
	private closed = false;

	constructor(
		private readonly portalId: number,
		private readonly now: () => Date,
	) {}

	/** Sets the app's target URL and secret (and any other setting); subscriptions stay. */
	configure(settings: Partial<WebhookDeliverySettings> & Pick<WebhookDeliverySettings, 'targetUrl' | 'clientSecret'>): void {
		this.settings = { ...DEFAULT_WEBHOOK_SETTINGS, ...this.settings, ...settings };
		this.random = seededRandom(this.settings.seed);
		this.closed = false;
	}

	subscribe(subscription: WebhookSubscription): number {
		const id = 100 + this.subscriptions.length;
		this.subscriptions.push({ ...subscription, id });
		return id;
	}

	/** A saved change: one event per matching subscription (property changes: per watched property set). */
	record(change: StoreChange): void {
		const objectTypeId = OBJECT_TYPE_IDS[change.type];
		if (!this.settings || this.closed || !objectTypeId) return;
		for (const subscription of this.subscriptions) {
			if (subscription.objectTypeId !== objectTypeId) continue;
			if (subscription.subscriptionType === 'object.creation' && change.kind === 'creation') this.enqueue(subscription, change, objectTypeId);
			const watched = subscription.propertyName;
			if (subscription.subscriptionType === 'object.propertyChange' && change.kind === 'propertyChange' && watched !== undefined && watched in change.properties) {
				this.enqueue(subscription, change, objectTypeId, watched);
			}
		}
		this.schedule();
	}

	private enqueue(subscription: WebhookSubscription & { id: number }, change: StoreChange, objectTypeId: string, propertyName?: string): void {
		this.queue.push({
			eventId: this.nextEventId++,
			subscriptionId: subscription.id,
			portalId: this.portalId,
			appId: this.settings!.appId,
			occurredAt: change.atMs,
			subscriptionType: subscription.subscriptionType,
			attemptNumber: 0,
			objectId: Number(change.id),
			objectTypeId,
			changeSource: 'CRM',
			...(propertyName ? { propertyName, propertyValue: change.properties[propertyName] ?? '' } : {}),
		});
	}

	private schedule(): void {
		if (this.timer || this.queue.length === 0) return;
		this.timer = setTimeout(() => {
			this.timer = undefined;
			this.sendQueued();
		}, this.settings!.batchWindowMs);
	}

	/** Sends everything queued now, without waiting for the batch window. */
	flush(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		this.sendQueued();
	}

	private sendQueued(): void {
		const settings = this.settings;
		if (!settings) return;
		while (this.queue.length) {
			const batch = this.queue.splice(0, settings.maxBatchSize);
			this.track(this.deliver(batch, 0));
		}
	}

	private track(work: Promise<void>): void {
		this.pending.add(work);
		void work.finally(() => this.pending.delete(work));
	}

	/** Resolves once nothing is queued, in flight or waiting for a retry. */
	async idle(): Promise<void> {
		this.flush();
		while (this.pending.size) await Promise.all([...this.pending]);
	}

	/** Stops sending: queued events and pending retries are dropped. */
	close(): void {
		this.closed = true;
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		this.queue = [];
	}

	private async slot(): Promise<void> {
		while (this.inFlight >= this.settings!.maxConcurrentRequests) await new Promise<void>((resolve) => this.waiting.push(resolve));
		this.inFlight++;
	}

	private release(): void {
		this.inFlight--;
		this.waiting.shift()?.();
	}

	private ordered(events: WebhookEventPayload[]): WebhookEventPayload[] {
		if (!this.settings!.outOfOrder) return events;
		const shuffled = [...events];
		for (let index = shuffled.length - 1; index > 0; index--) {
			const other = Math.floor(this.random() * (index + 1));
			[shuffled[index], shuffled[other]] = [shuffled[other], shuffled[index]];
		}
		return shuffled;
	}

	private async deliver(events: WebhookEventPayload[], attemptNumber: number): Promise<void> {
		if (this.closed) return;
		const settings = this.settings!;
		await this.slot();
		let status: DeliveryAttempt['status'];
		const body = JSON.stringify(this.ordered(events).map((event) => ({ ...event, attemptNumber })));
		const sentAt = this.now().getTime();
		try {
			status = await this.post(settings, body, sentAt);
		} finally {
			this.release();
		}
		this.attempts.push({ attemptNumber, events: events.length, status, sentAt, eventIds: events.map((event) => event.eventId) });
		const succeeded = typeof status === 'number' && status >= 200 && status < 300;
		const final = typeof status === 'number' && settings.noRetryStatuses.includes(status);
		if (succeeded || final || attemptNumber >= settings.retryDelaysMs.length || this.closed) return;
		// A retry waiting hours (uncompressed) must not keep a test process alive.
		await new Promise((resolve) => setTimeout(resolve, settings.retryDelaysMs[attemptNumber] * settings.timeScale).unref());
		await this.deliver(events, attemptNumber + 1);
	}

	private async post(settings: WebhookDeliverySettings, body: string, sentAt: number): Promise<DeliveryAttempt['status']> {
		try {
			const response = await fetch(settings.deliverTo ?? settings.targetUrl, {
				method: 'POST',
				headers: signedHeaders(settings.clientSecret, settings.targetUrl, body, sentAt),
				body,
				signal: AbortSignal.timeout(settings.timeoutMs),
			});
			await response.arrayBuffer();
			return response.status;
		} catch (error) {
			return (error as Error).name === 'TimeoutError' ? 'timeout' : 'failed';
		}
	}
}
