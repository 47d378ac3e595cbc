/**
 * `npm run sandbox`: starts the HubSpot, QuickBooks and Slack simulators and prints what to paste
 * into n8n's credentials. Stays up until Ctrl-C.
 *
 *   npm run sandbox -- --port-hubspot 4010 --port-quickbooks 4020 --port-slack 4030
 *   npm run sandbox -- --dataset generated --invoices 5000 --seed 7 --no-limits
 */
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
	const args: CliArgs = { ports: {}, dataset: 'default', limits: true, help: false };
	const number = (flag: string, value: string | undefined): number => {
		const n = Number(value);
		if (value === undefined || !Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a non-negative integer, got ${value ?? 'nothing'}`);
		return n;
	};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2) as [string, string | undefined];
		const value = () => inline ?? argv[++i];
		switch (flag) {
			case '--port-hubspot':
				args.ports.hubspot = number(flag, value());
				break;
			case '--port-quickbooks':
				args.ports.quickbooks = number(flag, value());
				break;
			case '--port-slack':
				args.ports.slack = number(flag, value());
				break;
			case '--dataset': {
				const v = value();
				if (v !== 'default' && v !== 'generated') throw new Error(`--dataset must be default or generated, got ${v}`);
				args.dataset = v;
				break;
			}
			case '--invoices':
				args.invoices = number(flag, value());
				args.dataset = 'generated';
				break;
			case '--seed':
				args.seed = number(flag, value());
				break;
			case '--no-limits':
				args.limits = false;
				break;
			case '--help':
			case '-h':
				args.help = true;
				break;
			default:
				throw new Error(`Unknown option ${argv[i]}`);
		}
	}
	return args;
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
