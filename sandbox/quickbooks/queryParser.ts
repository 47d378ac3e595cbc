/**
 * Parser for the QuickBooks query language as Intuit documents it (developer.intuit.com, "Query
 * operations and syntax"), and nothing more, so the nodes never come to depend on undocumented forms:
 *
 *   SELECT * | count(*) FROM Entity
 *     [WHERE cond [AND cond]*] [ORDERBY field [ASC|DESC][, …]] [STARTPOSITION n] [MAXRESULTS n]
 *   cond: field (= | < | > | <= | >=) literal | field IN (literal, …) | field LIKE 'text%'
 *   literal: 'string' | number | true | false
 *
 * In a quoted string a backslash escapes ("\'" is the documented example); what it does before any
 * other character is the `queryBackslash` setting (assumptions.ts). Anything else (projections such
 * as "SELECT *, Sku", OR, JOIN, GROUP BY, "ORDER BY", unknown entity, MAXRESULTS > 1000) raises a
 * 4000 QueryParserError fault, never an exception the server doesn't expect.
 */
import { DEFAULT_ASSUMPTIONS, type QboAssumptions } from './assumptions';
import { queryParserError } from './qboErrors';
import { QUERYABLE_ENTITIES, type QueryableEntity } from './state';

export type Literal = string | number | boolean;
export type ComparisonOp = '=' | '<' | '>' | '<=' | '>=';

export type Condition =
	| { field: string; op: ComparisonOp; value: Literal }
	| { field: string; op: 'IN'; values: Literal[] }
	| { field: string; op: 'LIKE'; pattern: string };

export interface ParsedQuery {
	entity: QueryableEntity;
	/** '*' for all fields, 'count' for count(*). */
	projection: '*' | 'count';
	where: Condition[];
	orderBy: { field: string; descending: boolean }[];
	startPosition: number;
	maxResults: number;
}

export const DEFAULT_MAX_RESULTS = 100;
export const MAX_RESULTS_LIMIT = 1000;

type Token =
	| { kind: 'word'; text: string; at: number }
	| { kind: 'string'; text: string; at: number }
	| { kind: 'number'; text: string; at: number }
	| { kind: 'symbol'; text: string; at: number }
	| { kind: 'end'; text: ''; at: number };

function tokenize(query: string, backslash: QboAssumptions['queryBackslash']): Token[] {
	const tokens: Token[] = [];
	let i = 0;
	while (i < query.length) {
		const ch = query[i];
		if (/\s/.test(ch)) {
			i++;
			continue;
		}
		const at = i + 1; // 1-based column, as QBO reports
		if (ch === "'") {
			let text = '';
			i++;
			let closed = false;
			while (i < query.length) {
				const c = query[i];
				if (c === '\\' && i + 1 < query.length && (backslash === 'escapesAny' || query[i + 1] === "'")) {
					// \' → ' always; with escapesAny \\ → \ and any other escaped char stands for itself.
					text += query[i + 1];
					i += 2;
					continue;
				}
				if (c === "'") {
					closed = true;
					i++;
					break;
				}
				text += c;
				i++;
			}
			if (!closed) throw queryParserError(`Lexical error at line 1, column ${at}. Unterminated string literal.`);
			tokens.push({ kind: 'string', text, at });
			continue;
		}
		const number = /^-?\d+(\.\d+)?/.exec(query.slice(i));
		if (number && (ch !== '-' || /\d/.test(query[i + 1] ?? ''))) {
			tokens.push({ kind: 'number', text: number[0], at });
			i += number[0].length;
			continue;
		}
		const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(query.slice(i));
		if (word) {
			tokens.push({ kind: 'word', text: word[0], at });
			i += word[0].length;
			continue;
		}
		const symbol = /^(<=|>=|!=|<>|[=<>(),*])/.exec(query.slice(i));
		if (symbol) {
			tokens.push({ kind: 'symbol', text: symbol[0], at });
			i += symbol[0].length;
			continue;
		}
		throw queryParserError(`Lexical error at line 1, column ${at}. Encountered: "${ch}"`);
	}
	tokens.push({ kind: 'end', text: '', at: query.length + 1 });
	return tokens;
}

const RESERVED = ['SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'IN', 'LIKE', 'ORDERBY', 'ORDER', 'BY', 'ASC', 'DESC', 'STARTPOSITION', 'MAXRESULTS', 'JOIN', 'GROUP', 'NOT'];

class Parser {
	private pos = 0;
	constructor(private readonly tokens: Token[]) {}

	private peek(): Token {
		return this.tokens[this.pos];
	}

	private next(): Token {
		return this.tokens[this.pos++];
	}

	private fail(expected: string): never {
		const t = this.peek();
		const seen = t.kind === 'end' ? '<EOF>' : t.text;
		throw queryParserError(`Encountered "${seen}" at line 1, column ${t.at}. Was expecting: ${expected}`);
	}

	private isKeyword(word: string): boolean {
		const t = this.peek();
		return t.kind === 'word' && t.text.toUpperCase() === word;
	}

	private expectKeyword(word: string): void {
		if (!this.isKeyword(word)) this.fail(word);
		this.pos++;
	}

	private expectSymbol(symbol: string): void {
		const t = this.peek();
		if (t.kind !== 'symbol' || t.text !== symbol) this.fail(`"${symbol}"`);
		this.pos++;
	}

	private field(): string {
		const t = this.peek();
		if (t.kind !== 'word' || RESERVED.includes(t.text.toUpperCase())) this.fail('<IDENTIFIER>');
		this.pos++;
		return t.text;
	}

	private literal(): Literal {
		const t = this.next();
		if (t.kind === 'string') return t.text;
		if (t.kind === 'number') return Number(t.text);
		if (t.kind === 'word' && /^(true|false)$/i.test(t.text)) return t.text.toLowerCase() === 'true';
		this.pos--;
		return this.fail('a quoted string, a number, true or false');
	}

	private positiveInteger(clause: string): number {
		const t = this.next();
		if (t.kind !== 'number' || !/^\d+$/.test(t.text)) {
			this.pos--;
			this.fail(`a whole number after ${clause}`);
		}
		return Number(t.text);
	}

	parse(): ParsedQuery {
		this.expectKeyword('SELECT');
		const projection = this.projection();
		this.expectKeyword('FROM');
		const entityToken = this.peek();
		if (entityToken.kind !== 'word') this.fail('<ENTITY>');
		this.pos++;
		// Entity names are case-sensitive in QBO.
		if (!(QUERYABLE_ENTITIES as readonly string[]).includes(entityToken.text)) {
			throw queryParserError(`Entity "${entityToken.text}" is not supported (entity names are case-sensitive).`);
		}
		const query: ParsedQuery = {
			entity: entityToken.text as QueryableEntity,
			projection,
			where: [],
			orderBy: [],
			startPosition: 1,
			maxResults: DEFAULT_MAX_RESULTS,
		};
		if (this.isKeyword('WHERE')) {
			this.pos++;
			query.where.push(this.condition());
			while (this.isKeyword('AND')) {
				this.pos++;
				query.where.push(this.condition());
			}
		}
		if (this.isKeyword('ORDER')) this.fail('ORDERBY (one word)');
		if (this.isKeyword('ORDERBY')) {
			this.pos++;
			do {
				if (query.orderBy.length) this.pos++; // the comma
				const field = this.field();
				let descending = false;
				if (this.isKeyword('ASC') || this.isKeyword('DESC')) descending = this.next().text.toUpperCase() === 'DESC';
				query.orderBy.push({ field, descending });
			} while (this.peek().kind === 'symbol' && this.peek().text === ',');
		}
		// STARTPOSITION and MAXRESULTS may come in either order.
		for (let i = 0; i < 2; i++) {
			if (this.isKeyword('STARTPOSITION')) {
				this.pos++;
				query.startPosition = this.positiveInteger('STARTPOSITION');
				if (query.startPosition < 1) throw queryParserError('STARTPOSITION must be 1 or more.');
			} else if (this.isKeyword('MAXRESULTS')) {
				this.pos++;
				query.maxResults = this.positiveInteger('MAXRESULTS');
				if (query.maxResults > MAX_RESULTS_LIMIT) {
					throw queryParserError(`MAXRESULTS ${query.maxResults} exceeds the maximum of ${MAX_RESULTS_LIMIT}.`);
				}
			}
		}
		if (this.peek().kind !== 'end') {
			this.fail(query.where.length ? 'AND, ORDERBY, STARTPOSITION, MAXRESULTS or <EOF>' : 'WHERE, ORDERBY, STARTPOSITION, MAXRESULTS or <EOF>');
		}
		return query;
	}

	/** Intuit documents "SELECT * | count(*)" and says projections are not supported. */
	private projection(): ParsedQuery['projection'] {
		const t = this.peek();
		if (t.kind === 'symbol' && t.text === '*') {
			this.pos++;
			if (this.peek().kind === 'symbol' && this.peek().text === ',') this.fail('FROM (projections are not supported)');
			return '*';
		}
		if (t.kind === 'word' && t.text.toLowerCase() === 'count') {
			this.pos++;
			this.expectSymbol('(');
			this.expectSymbol('*');
			this.expectSymbol(')');
			return 'count';
		}
		return this.fail('* or count(*) (projections are not supported)');
	}

	private condition(): Condition {
		if (this.isKeyword('NOT')) this.fail('<IDENTIFIER> (NOT is not supported)');
		const field = this.field();
		const t = this.peek();
		if (t.kind === 'symbol' && ['=', '<', '>', '<=', '>='].includes(t.text)) {
			this.pos++;
			return { field, op: t.text as ComparisonOp, value: this.literal() };
		}
		if (this.isKeyword('IN')) {
			this.pos++;
			this.expectSymbol('(');
			const values: Literal[] = [this.literal()];
			while (this.peek().kind === 'symbol' && this.peek().text === ',') {
				this.pos++;
				values.push(this.literal());
			}
			this.expectSymbol(')');
			return { field, op: 'IN', values };
		}
		if (this.isKeyword('LIKE')) {
			this.pos++;
			const pattern = this.next();
			if (pattern.kind !== 'string') {
				this.pos--;
				this.fail('a quoted pattern after LIKE');
			}
			return { field, op: 'LIKE', pattern: pattern.text };
		}
		return this.fail('=, <, >, <=, >=, IN or LIKE');
	}
}

/** Parses a query; throws a QboError (400, code 4000) on anything unsupported. */
export function parseQuery(query: string, assumptions: Pick<QboAssumptions, 'queryBackslash'> = DEFAULT_ASSUMPTIONS): ParsedQuery {
	if (typeof query !== 'string' || !query.trim()) throw queryParserError('Encountered "<EOF>" at line 1, column 1. Was expecting: SELECT');
	return new Parser(tokenize(query, assumptions.queryBackslash)).parse();
}
