/**
 * Reading a node's parameters into its settings (each node's settings.ts): a value that is not one
 * of a parameter's choices (an expression that gave something else) is a NodeOperationError for
 * the person configuring the node, not an error on every item.
 */
import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { parameterText } from './text';

type ParameterContext = Pick<IExecuteFunctions, 'getNode'>;

/** `value` when it is one of `choices`, else a NodeOperationError naming the parameter. */
export function oneOf<T extends string>(context: ParameterContext, displayName: string, value: unknown, choices: readonly T[]): T {
	if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
	throw new NodeOperationError(context.getNode(), `${displayName} is "${String(value)}", which is not one of its choices`, {
		description: `Choose one of: ${choices.join(', ')}.`,
	});
}

/** The node's "Options" collection (an empty object when none are added). */
export function optionsCollection(value: unknown): Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * The Id a resource locator parameter holds (`{ __rl: true, mode, value }`), trimmed. A plain
 * string or number, as workflows saved when the parameter was a dropdown hold, is the Id itself.
 */
export function locatorValue(value: unknown): string {
	const held = typeof value === 'object' && value !== null && !Array.isArray(value) && 'value' in value ? (value as { value: unknown }).value : value;
	return parameterText(held);
}
