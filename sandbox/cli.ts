/**
 * `npm run sandbox`: starts the HubSpot, QuickBooks and Slack simulators and prints what to paste
 * into n8n's credentials. Stays up until Ctrl-C.
 *
 *   npm run sandbox -- --port-hubspot 4010 --port-quickbooks 4020 --port-slack 4030
 *   npm run sandbox -- --dataset generated --invoices 5000 --seed 7 --no-limits
 */
import { integerFlag, readFlags } from './common/cliFlags';
import { start, type StartOptions } from './index';

interface CliArgs {
	ports: { hubspot?: number; quickbooks?: number; slack?: number };
	dataset: 'default' | 'generated';
	invoices?: number;
	seed?: number;
	limits: boolean;
	help: boolean;
}

const USAGE = `Usage: npm run sandbox -- [options]
  --port-hubspot N      HubSpot simulator port (default: a free port)
  --port-quickbooks N   QuickBooks simulator port (default: a free port)
  --port-slack N        Slack webhook sink port (default: a free port)
  --dataset NAME        default | generated (default: default)
  --invoices N          invoices in a generated data set (implies --dataset generated)
  --seed N              seed of a generated data set
  --no-limits           turn the APIs' rate limits off
  --help                show this text`;

export function parseArgs(argv: string[]): CliArgs {
	const flags = readFlags(argv, {
		'port-hubspot': { type: 'string' },
		'port-quickbooks': { type: 'string' },
		'port-slack': { type: 'string' },
		dataset: { type: 'string' },
		invoices: { type: 'string' },
		seed: { type: 'string' },
		'no-limits': { type: 'boolean' },
		help: { type: 'boolean', short: 'h' },
	});
	if (flags.dataset !== undefined && flags.dataset !== 'default' && flags.dataset !== 'generated') {
		throw new Error(`--dataset must be default or generated, got ${flags.dataset}`);
	}
	const invoices = integerFlag('invoices', flags.invoices);
	return {
		ports: {
			hubspot: integerFlag('port-hubspot', flags['port-hubspot']),
			quickbooks: integerFlag('port-quickbooks', flags['port-quickbooks']),
			slack: integerFlag('port-slack', flags['port-slack']),
		},
		// --invoices implies a generated data set.
		dataset: invoices !== undefined ? 'generated' : (flags.dataset as CliArgs['dataset'] | undefined) ?? 'default',
		invoices,
		seed: integerFlag('seed', flags.seed),
		limits: !flags['no-limits'],
		help: flags.help ?? false,
	};
}

export function toStartOptions(args: CliArgs): StartOptions {
	return {
		seed: args.seed,
		dataset: args.dataset === 'default' ? 'default' : { seed: args.seed, invoices: args.invoices },
		limits: args.limits ? undefined : false,
		ports: args.ports,
	};
}

async function main(): Promise<void> {
	let args: CliArgs;
	try {
		args = parseArgs(process.argv.slice(2));
	} catch (e) {
		console.error(`${(e as Error).message}\n\n${USAGE}`);
		process.exit(2);
	}
	if (args.help) {
		console.log(USAGE);
		return;
	}
	const sb = await start(toStartOptions(args));
	const c = sb.credentials;
	const invoices = sb.dataset.hubspot.invoices.length;
	const line = '-'.repeat(78);
	console.log(`HubSpot → QuickBooks sandbox is running (${args.dataset} data set, ${invoices} invoices, limits ${args.limits ? 'on' : 'off'}).
${line}
HubSpot API        ${sb.urls.hubspot}
QuickBooks API     ${sb.urls.quickbooks}
Slack webhook      ${sb.urls.slack}
${line}
n8n credential "HubSpot (private app token)"
  Base URL override   ${sb.urls.hubspot}
  Access token        ${c.hubspot.accessToken}

n8n credential "HubSpot OAuth2"
  Base URL override   ${sb.urls.hubspot}
  Authorization URL   ${sb.urls.hubspot}/oauth/authorize
  Access token URL    ${sb.urls.hubspot}/oauth/v1/token
  Client ID           ${c.hubspot.clientId}
  Client secret       ${c.hubspot.clientSecret}

n8n credential "QuickBooks Online OAuth2"
  Base URL override   ${sb.urls.quickbooks}
  Authorization URL   ${sb.urls.quickbooks}/connect/oauth2
  Access token URL    ${sb.urls.quickbooks}/oauth2/v1/tokens/bearer
  Client ID           ${c.quickbooks.clientId}
  Client secret       ${c.quickbooks.clientSecret}
  Realm (company) ID  ${c.quickbooks.realmId}

Slack node / HTTP Request
  Webhook URL         ${sb.urls.slack}
${line}
Control: GET <server>/__sandbox/state | GET /__sandbox/log | POST /__sandbox/reset | POST /__sandbox/faults
Press Ctrl-C to stop.`);

	let stopping = false;
	const stop = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		console.log(`\n${signal}: closing the sandbox…`);
		await sb.close();
		console.log(`Served ${sb.log.count()} requests. Bye.`);
		process.exit(0);
	};
	process.on('SIGINT', () => void stop('SIGINT'));
	process.on('SIGTERM', () => void stop('SIGTERM'));
}

if (require.main === module) {
	main().catch((e) => {
		console.error(e);
		process.exit(1);
	});
}
