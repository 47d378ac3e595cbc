/** What a route handler answers; the server writes it, logs it and may remember it for requestid replay. */
export interface Reply {
	status: number;
	/** JSON body (sent with application/json). */
	json?: unknown;
	/** Plain body with its own content type (HTML pages). */
	text?: string;
	headers?: Record<string, string>;
	/** Shown in the request log's `detail` (query entity, batch op count, write operation). */
	detail?: string;
}
