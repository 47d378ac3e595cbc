import type { HubSpotClient } from '../../package/nodes/shared/transport/hubspot';
import { ensureHubSpotProperties, type HubSpotPropertyDefinition } from '../../package/nodes/shared/hubspotProperties';

const GROUP = { name: 'sync_group', label: 'Sync', displayOrder: -1 };
const definition = (name: string): HubSpotPropertyDefinition => ({ name, label: name, type: 'string', fieldType: 'text', description: name });

/** A HubSpot whose property listing is empty and whose creates answer as `answerFor` says (undefined: created). */
function hubSpot(answerFor: (path: string, name: string) => { status: number } | undefined) {
	const calls: string[] = [];
	const request = (async (method: string, path: string, options?: { body?: { name?: string } }) => {
		calls.push(`${method} ${path}${options?.body?.name ? ` ${options.body.name}` : ''}`);
		if (method === 'GET') return { results: [] };
		const refusal = answerFor(path, options?.body?.name ?? '');
		if (refusal) throw Object.assign(new Error(`HTTP ${refusal.status}`), refusal);
		return {};
	}) as Pick<HubSpotClient, 'request'>['request'];
	return { client: { request }, calls };
}

describe('ensureHubSpotProperties', () => {
	it('counts a 409 (a concurrent run created the group or property first) as created and goes on', async () => {
		const { client, calls } = hubSpot((path, name) => (path.endsWith('/groups') || name === 'first' ? { status: 409 } : undefined));
		await expect(ensureHubSpotProperties(client, 'invoices', GROUP, [definition('first'), definition('second')])).resolves.toEqual(['first', 'second']);
		expect(calls).toEqual([
			'GET /crm/v3/properties/invoices',
			'GET /crm/v3/properties/invoices/groups',
			'POST /crm/v3/properties/invoices/groups sync_group',
			'POST /crm/v3/properties/invoices first',
			'POST /crm/v3/properties/invoices second',
		]);
	});

	it('fails with the error HubSpot gave when a create is refused for any other reason', async () => {
		const { client, calls } = hubSpot((_path, name) => (name === 'first' ? { status: 403 } : undefined));
		await expect(ensureHubSpotProperties(client, 'invoices', GROUP, [definition('first'), definition('second')])).rejects.toMatchObject({ status: 403, message: 'HTTP 403' });
		expect(calls).not.toContain('POST /crm/v3/properties/invoices second');
	});
});
