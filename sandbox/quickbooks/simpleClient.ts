/**
 * A minimal fetch-based client for the simulator (tests, CLI smoke checks). Not the product's
 * transport: nodes talk to QuickBooks through n8n's HTTP helpers.
 */
export interface SimpleResponse {
	status: number;
	json: any;
	headers: Headers;
}

export function qboClient(baseUrl: string, realmId: string, accessToken: string) {
	const api = `${baseUrl}/v3/company/${realmId}`;
	async function request(
		method: string,
		path: string,
		body?: unknown,
		o: { params?: Record<string, string>; contentType?: string; token?: string | null } = {},
	): Promise<SimpleResponse> {
		const url = new URL(path.startsWith('http') ? path : `${api}/${path.replace(/^\//, '')}`);
		url.searchParams.set('minorversion', '75');
		for (const [k, v] of Object.entries(o.params ?? {})) url.searchParams.set(k, v);
		const headers: Record<string, string> = { Accept: 'application/json' };
		const token = o.token === undefined ? accessToken : o.token;
		if (token) headers.Authorization = `Bearer ${token}`;
		let payload: string | undefined;
		if (body !== undefined) {
			headers['Content-Type'] = o.contentType ?? 'application/json';
			payload = typeof body === 'string' ? body : JSON.stringify(body);
		}
		const res = await fetch(url, { method, headers, body: payload });
		const text = await res.text();
		let json: any;
		try {
			json = text ? JSON.parse(text) : undefined;
		} catch {
			json = text;
		}
		return { status: res.status, json, headers: res.headers };
	}
	return {
		request,
		query: (q: string, token?: string | null) => request('GET', 'query', undefined, { params: { query: q }, token }),
		queryPost: (q: string) => request('POST', 'query', q, { contentType: 'application/text' }),
		get: (entity: string, id: string) => request('GET', `${entity}/${id}`),
		post: (entity: string, body: unknown, params?: Record<string, string>) => request('POST', entity, body, { params }),
		batch: (items: unknown[], params?: Record<string, string>) => request('POST', 'batch', { BatchItemRequest: items }, { params }),
	};
}
