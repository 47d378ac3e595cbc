/** A fixed piece of JavaScript whose CPU time tells how fast this machine is (and how busy). */

/**
 * CPU time (ms) of 20,000 JSON round trips of a 5-line invoice: printed next to the CPU figures so
 * that figures from different (or differently loaded) machines can be compared.
 */
export function referenceCpuMs(): number {
	const line = { hubspotLineItemId: '4010000001', sku: 'SKU-00103', name: 'Charger 00103', description: 'Charger 00103', quantity: 4, unitPrice: 257.5, amount: 1030, discount: null, taxRateId: '1002', taxLabel: 'Exempt (0%)' };
	const invoice = { source: { system: 'hubspot', id: '3010000001' }, number: 'INV-100001', status: 'open', currency: 'USD', customer: { email: 'emma.jensen@example.com' }, lines: [line, line, line, line, line] };
	const started = process.cpuUsage();
	let total = 0;
	for (let index = 0; index < 20_000; index++) total += (JSON.parse(JSON.stringify({ ...invoice, number: `INV-${index}` })) as { lines: unknown[] }).lines.length;
	const used = process.cpuUsage(started);
	if (total !== 100_000) throw new Error('reference workload miscounted');
	return (used.user + used.system) / 1000;
}
