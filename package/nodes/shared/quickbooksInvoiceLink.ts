/**
 * How a QuickBooks invoice says what this package made of it: the PrivateNote line
 * "HubSpot invoice <id>" links it to a HubSpot invoice, and QuickBooks' own void leaves a note
 * starting "Voided". The upsert writes and reads these; the QuickBooks Trigger reads them.
 */

/** The HubSpot invoice ids a PrivateNote links to (any line "HubSpot invoice <id>"). */
export function linkedHubSpotIds(privateNote: unknown): string[] {
	if (typeof privateNote !== 'string') return [];
	const ids: string[] = [];
	for (const line of privateNote.split(/\r?\n/)) {
		const match = /^\s*HubSpot invoice (\d+)\s*$/.exec(line);
		if (match) ids.push(match[1]);
	}
	return ids;
}

/**
 * A voided QuickBooks invoice keeps its lines with zero amounts and a PrivateNote starting with
 * "Voided"; both together identify it (a zero invoice alone could be legitimate).
 */
export function isVoidedInvoice(invoice: { PrivateNote?: unknown; TotalAmt?: unknown }): boolean {
	const note = typeof invoice.PrivateNote === 'string' ? invoice.PrivateNote.trimStart() : '';
	return /^Voided\b/i.test(note) && Number(invoice.TotalAmt ?? 0) === 0;
}
