/** HubSpot-style error bodies (the shapes real HubSpot answers with), carried as exceptions. */
import { randomUUID } from 'crypto';

export class HubSpotHttpError extends Error {
	constructor(
		readonly status: number,
		readonly body: Record<string, unknown>,
		readonly headers: Record<string, string> = {},
	) {
		super(String(body.message ?? 'error'));
	}
}

export function correlationId(): string {
	return randomUUID();
}

function error(
	status: number,
	category: string,
	message: string,
	extra: Record<string, unknown> = {},
): HubSpotHttpError {
	return new HubSpotHttpError(status, {
		status: 'error',
		message,
		correlationId: correlationId(),
		category,
		...extra,
	});
}

export const errors = {
	validation(message: string, extra: Record<string, unknown> = {}): HubSpotHttpError {
		return error(400, 'VALIDATION_ERROR', message, extra);
	},
	invalidJson(detail: string): HubSpotHttpError {
		return error(400, 'VALIDATION_ERROR', `Invalid input JSON on line 1: ${detail}`);
	},
	notFound(message = 'resource not found'): HubSpotHttpError {
		return error(404, 'OBJECT_NOT_FOUND', message);
	},
	unknownRoute(method: string, path: string): HubSpotHttpError {
		return error(404, 'OBJECT_NOT_FOUND', `Unable to route ${method} ${path}: no such endpoint`, {
			context: { path: [path] },
		});
	},
	methodNotAllowed(method: string): HubSpotHttpError {
		return error(405, 'VALIDATION_ERROR', `HTTP method ${method} is not supported by this endpoint`);
	},
	invalidAuth(): HubSpotHttpError {
		return error(
			401,
			'INVALID_AUTHENTICATION',
			'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
		);
	},
	expiredAuth(minutesAgo: number): HubSpotHttpError {
		return error(
			401,
			'EXPIRED_AUTHENTICATION',
			`The OAuth token used to make this call expired ${Math.max(0, Math.round(minutesAgo))} minute(s) ago.`,
		);
	},
	missingScopes(required: string[]): HubSpotHttpError {
		return error(
			403,
			'MISSING_SCOPES',
			"This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
			{
				errors: [
					{
						message: 'One or more of the following scopes are required.',
						context: { requiredGranularScopes: required },
					},
				],
				links: { 'scopes-documentation': 'https://developers.hubspot.com/scopes' },
			},
		);
	},
	conflict(message: string): HubSpotHttpError {
		return error(409, 'OBJECT_ALREADY_EXISTS', message);
	},
	/** Property values rejected on write: HubSpot's `Property values were not valid: [...]` text. */
	invalidProperties(
		results: { name: string; error: string; message: string }[],
	): HubSpotHttpError {
		const validationResults = results.map((r) => ({
			isValid: false,
			message: r.message,
			error: r.error,
			name: r.name,
			localizedErrorMessage: r.message,
		}));
		return error(400, 'VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify(validationResults)}`, {
			errors: validationResults.map((r) => ({ message: r.message, code: r.error, context: { propertyName: [r.name] } })),
		});
	},
	rateLimit(policyName: 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY', headers: Record<string, string> = {}): HubSpotHttpError {
		const message =
			policyName === 'TEN_SECONDLY_ROLLING'
				? 'You have reached your ten_secondly_rolling limit.'
				: policyName === 'SECONDLY'
					? 'You have reached your secondly limit.'
					: 'You have reached your daily limit.';
		return new HubSpotHttpError(
			429,
			{
				status: 'error',
				message,
				errorType: 'RATE_LIMIT',
				correlationId: correlationId(),
				policyName,
				requestId: randomUUID().replace(/-/g, ''),
			},
			headers,
		);
	},
	internal(status: 500 | 502 | 503): HubSpotHttpError {
		return status === 503
			? error(503, 'SERVICE_UNAVAILABLE', 'The service is temporarily unavailable. Please try again later.')
			: error(status, 'INTERNAL_ERROR', 'internal error');
	},
};
