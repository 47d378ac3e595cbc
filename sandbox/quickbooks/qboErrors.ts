/**
 * QuickBooks Online fault bodies and the error type the simulator throws to produce them.
 * Shape (Intuit's error responses): {"Fault":{"Error":[{Message,Detail,code,element}],"type":…},"time":…},
 * `code` always a string.
 */

export interface QboErrorItem {
	Message: string;
	Detail?: string;
	code: string;
	element?: string;
}

export interface QboFault {
	Error: QboErrorItem[];
	type: string;
}

/** Thrown anywhere in request handling; the server turns it into `status` + a Fault body. */
export class QboError extends Error {
	constructor(
		readonly status: number,
		readonly fault: QboFault,
		readonly headers: Record<string, string> = {},
	) {
		super(fault.Error.map((e) => `${e.code}: ${e.Detail ?? e.Message}`).join('; '));
	}
}

export function faultBody(fault: QboFault, now: Date): { Fault: QboFault; time: string } {
	return { Fault: fault, time: now.toISOString() };
}

/** A 400 ValidationFault with one error. */
export function validationError(code: string, message: string, detail: string, element?: string): QboError {
	const item: QboErrorItem = { Message: message, Detail: detail, code };
	if (element !== undefined) item.element = element;
	return new QboError(400, { Error: [item], type: 'ValidationFault' });
}

// --- the faults the simulator produces, named by what they mean ---------------------------------

export const authenticationFailed = () =>
	new QboError(
		401,
		{
			Error: [{ Message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401', code: '3200' }],
			type: 'AUTHENTICATION',
		},
		{ 'WWW-Authenticate': 'Bearer realm="Intuit", error="invalid_token"' },
	);

export const authorizationFailed = () =>
	new QboError(403, {
		Error: [{ Message: 'message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403', code: '3100' }],
		type: 'AUTHORIZATION',
	});

export const throttleExceeded = () =>
	new QboError(429, {
		Error: [{ Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429', code: '3001' }],
		type: 'SERVICE',
	});

export const systemFault = (status: number, detail: string) =>
	new QboError(status, {
		Error: [
			{
				Message: 'An application error has occurred while processing your request',
				Detail: `System Failure Error: ${detail}`,
				code: '10000',
			},
		],
		type: 'SystemFault',
	});

export const unsupportedOperation = (method: string, path: string) =>
	new QboError(404, {
		Error: [
			{
				Message: 'Unsupported Operation',
				Detail: `Operation ${method} ${path} is not supported.`,
				code: '500',
			},
		],
		type: 'ValidationFault',
	});

export const invalidProperty = (detail: string, element?: string) =>
	validationError('2010', 'Request has invalid or unsupported property', `Property Name:${detail}`, element);

export const requiredParamMissing = (param: string, element = param) =>
	validationError(
		'2020',
		'Required param missing, need to supply the required value for the API',
		`Required parameter ${param} is missing in the request`,
		element,
	);

export const stringLengthOutOfRange = (element: string, max: number, supplied: number) =>
	validationError(
		'2050',
		'String length is either shorter or longer than supported by specification',
		`String length specified does not match the supported length. Min:0 Max:${max} supported. Supplied length:${supplied}`,
		element,
	);

export const invalidReference = (what: string, id: string, element: string) =>
	validationError('2500', 'Invalid Reference Id', `Invalid Reference Id : ${what} with Id ${id} was not found`, element);

export const objectNotFoundInactive = (element?: string) =>
	validationError(
		'610',
		'Object Not Found',
		"Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.",
		element,
	);

export const objectNotFound = (entity: string, id: string) =>
	validationError(
		'610',
		'Object Not Found',
		`Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees. (${entity} Id=${id})`,
	);

export const queryParserError = (detail: string) =>
	validationError('4000', 'Error parsing query', `QueryParserError: ${detail}`);

export const staleObject = (entity: string, id: string, supplied: string, current: string) =>
	validationError(
		'5010',
		'Stale Object Error',
		`Stale Object Error : You and another user were working on the same thing. The other user finished before you did, so your work was not saved. (${entity} Id=${id}, supplied SyncToken=${supplied}, current SyncToken=${current})`,
	);

export const businessValidation = (detail: string, element?: string) =>
	validationError(
		'6000',
		'A business validation error has occurred while processing your request',
		`Business Validation Error: ${detail}`,
		element,
	);

export const amountMismatch = (supplied: string) => {
	const text = `Amount is not equal to UnitPrice * Qty. Supplied value:${supplied}`;
	return validationError('6070', text, text, 'Line.Amount');
};

export const duplicateDocNumber = (docNumber: string, txnType: string, txnId: string) =>
	validationError(
		'6140',
		'Duplicate Document Number Error',
		`Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=${docNumber} is assigned to TxnType=${txnType} with TxnId=${txnId}`,
		'DocNumber',
	);

export const accountPeriodClosed = (bookCloseDate: string) =>
	validationError(
		'6210',
		'Account Period Closed',
		`Account Period Closed : The account period has closed and the books are locked. You can't save a transaction dated on or before ${bookCloseDate}.`,
		'TxnDate',
	);

export const duplicateName = (detail: string, element = 'DisplayName') =>
	validationError('6240', 'Duplicate Name Exists Error', `The name supplied already exists. : ${detail}`, element);
