/**
 * What QuickBooks accepts, stated independently of the nodes: the checks the fuzz and injection
 * suites apply to every invoice that reached QuickBooks.
 */
import type { QboRecord } from '../../../sandbox/quickbooks';
import { parseDecimal, productCents, toCents } from './decimal';

export const DOC_NUMBER_MAX_LENGTH = 21;

/**
 * Characters QuickBooks refuses or mangles: C0 and C1 control characters (tab and line breaks
 * only where multi-line text is allowed), U+FFFD..U+FFFF and unpaired surrogates.
 */
export function rejectedCharacters(text: string, multiLine: boolean): string[] {
	const found: string[] = [];
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code >= 0xd800 && code <= 0xdbff) {
			const next = text.charCodeAt(index + 1);
			if (next >= 0xdc00 && next <= 0xdfff) {
				index++;
				continue;
			}
			found.push(`U+${code.toString(16)}`);
			continue;
		}
		const lineBreak = code === 0x09 || code === 0x0a || code === 0x0d;
		if (
			(code < 0x20 && !(multiLine && lineBreak)) ||
			(code >= 0x7f && code <= 0x9f) ||
			(code >= 0xdc00 && code <= 0xdfff) ||
			code >= 0xfffd
		) {
			found.push(`U+${code.toString(16)}`);
		}
	}
	return found;
}

/** Problems of an invoice as stored in QuickBooks (empty when it is one QuickBooks would accept). */
export function invoiceProblems(record: QboRecord): string[] {
	const problems: string[] = [];
	const doc = typeof record.DocNumber === 'string' ? record.DocNumber : '';
	if (!doc) problems.push('no DocNumber');
	if (doc.length > DOC_NUMBER_MAX_LENGTH) problems.push(`DocNumber has ${doc.length} characters`);
	const badDoc = rejectedCharacters(doc, false);
	if (badDoc.length) problems.push(`DocNumber contains ${badDoc.join(' ')}`);
	for (const field of ['PrivateNote'] as const) {
		const bad = rejectedCharacters(String(record[field] ?? ''), true);
		if (bad.length) problems.push(`${field} contains ${bad.join(' ')}`);
	}
	const memo = (record.CustomerMemo as { value?: string } | undefined)?.value;
	if (memo && rejectedCharacters(memo, true).length) problems.push(`CustomerMemo contains ${rejectedCharacters(memo, true).join(' ')}`);
	const lines = ((record.Line ?? []) as any[]).filter((line) => line.DetailType === 'SalesItemLineDetail');
	if (lines.length === 0) problems.push('no sales lines');
	for (const line of lines) {
		const detail = line.SalesItemLineDetail ?? {};
		const amount = parseDecimal(line.Amount);
		if (!amount) problems.push(`line ${String(line.LineNum)}: Amount ${String(line.Amount)} is not a number`);
		else if (amount.scale > 2 && amount.units % 10n ** BigInt(amount.scale - 2) !== 0n) problems.push(`line ${String(line.LineNum)}: Amount ${String(line.Amount)} has more than 2 decimals`);
		const expected = productCents(detail.Qty ?? 1, detail.UnitPrice ?? 0);
		if (expected === undefined || toCents(line.Amount) !== expected) {
			problems.push(`line ${String(line.LineNum)}: Amount ${String(line.Amount)} ≠ Qty ${String(detail.Qty)} × UnitPrice ${String(detail.UnitPrice)} (half-up)`);
		}
		const description = line.Description;
		if (typeof description === 'string' && rejectedCharacters(description, true).length) {
			problems.push(`line ${String(line.LineNum)}: Description contains ${rejectedCharacters(description, true).join(' ')}`);
		}
		if (typeof description === 'string' && description.length > 4000) problems.push(`line ${String(line.LineNum)}: Description has ${description.length} characters`);
	}
	return problems;
}

/** Problems of a customer as stored in QuickBooks. */
export function customerProblems(record: QboRecord): string[] {
	const problems: string[] = [];
	for (const field of ['DisplayName', 'GivenName', 'FamilyName', 'CompanyName', 'PrintOnCheckName'] as const) {
		const value = record[field];
		if (typeof value !== 'string') continue;
		if (value.includes(':') && field === 'DisplayName') problems.push(`${field} contains a colon`);
		const bad = rejectedCharacters(value, false);
		if (bad.length) problems.push(`${field} contains ${bad.join(' ')}`);
	}
	if (typeof record.DisplayName === 'string' && record.DisplayName.length > 500) problems.push(`DisplayName has ${record.DisplayName.length} characters`);
	return problems;
}
