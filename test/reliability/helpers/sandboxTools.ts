/**
 * Small sandbox helpers for the reliability suites: shorter "hung request" faults, Slack
 * notifications of failed invoices (what the template's error branch posts), fault summaries.
 */
import { FaultInjector, type FaultDecision } from '../../../sandbox/common/faults';
import type { Sandbox } from '../../../sandbox';
import type { ItemOutcome } from '../../../scripts/reliability/driver';

/**
 * A "timeout" fault holds a request for 30 s before cutting it, standing in for a client timeout.
 * The transports' timeout is 60 s and not a node option, so the chaos test cuts hung requests
 * after `ms` instead: the same failure (no answer, then a dead connection), sooner.
 */
export function shortenHungRequests(ms: number): () => void {
	const original = FaultInjector.prototype.decide;
	FaultInjector.prototype.decide = function decide(this: FaultInjector, method: string, path: string): FaultDecision {
		const decision = original.call(this, method, path);
		return decision.kind === 'timeout' ? { ...decision, delayMs: Math.min(decision.delayMs ?? ms, ms) } : decision;
	};
	return () => {
		FaultInjector.prototype.decide = original;
	};
}

/** Posts one Slack message per failed invoice, as the workflow template's error branch does. */
export async function notifySlack(sandbox: Pick<Sandbox, 'urls'>, failures: ItemOutcome[]): Promise<number> {
	let sent = 0;
	for (const failure of failures) {
		const error = (failure.json.error ?? {}) as Record<string, unknown>;
		const text = [
			`:warning: Invoice ${failure.number || failure.hubspotId} did not sync to QuickBooks (${String(error.code ?? 'UNKNOWN')})`,
			String(error.message ?? ''),
			`Fix: ${String(error.hint ?? '')}`,
		].join('\n');
		const response = await fetch(sandbox.urls.slack, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }], details: error.details ?? {} }),
		});
		if (response.ok) sent++;
	}
	return sent;
}

/** Injected faults per API and kind, from the shared request log. */
export function faultCounts(sandbox: Pick<Sandbox, 'log'>): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const entry of sandbox.log.entries) if (entry.fault) counts[`${entry.api}:${entry.fault}`] = (counts[`${entry.api}:${entry.fault}`] ?? 0) + 1;
	return counts;
}
