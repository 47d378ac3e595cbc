/**
 * `npm run verify:live`: checks the API facts this package relies on against real accounts and
 * prints which hold. Credentials come from environment variables only and are never printed.
 *
 *   QUICKBOOKS_ACCESS_TOKEN=… QUICKBOOKS_REALM_ID=… HUBSPOT_ACCESS_TOKEN=… npm run verify:live
 *   npm run verify:live -- --write     # also create, update and void test records (then clean up)
 *   npm run verify:live -- --sandbox   # every probe, writes included, against the local sandbox
 *
 * Exit code: 1 when a probe errors; with --sandbox also when a fact does not hold (the sandbox
 * must behave as documented); 2 for bad flags or variables.
 */
import { readFlags } from '../../sandbox/common/cliFlags';
import { redactSecrets } from '../../package/nodes/shared/errors';
import { tally } from './probe';
import { describeTarget, startSandboxTargets, targetsFromEnv, type Targets } from './targets';
import { verify } from './verify';

const USAGE = `Usage: npm run verify:live -- [--write] [--sandbox]
  --write     also create, update and void test invoices (with test customers and a test item) in
              the QuickBooks company and a draft invoice in the HubSpot portal; everything is
              voided, archived or made inactive afterwards. Use an Intuit sandbox company and a
              HubSpot test portal.
  --sandbox   run every probe, writes included, against the local sandbox instead
Environment:
  QUICKBOOKS_ACCESS_TOKEN, QUICKBOOKS_REALM_ID   an Intuit sandbox company (OAuth Playground token)
  QUICKBOOKS_BASE_URL                            default https://sandbox-quickbooks.api.intuit.com
  HUBSPOT_ACCESS_TOKEN                           a private-app token of a HubSpot test portal
  HUBSPOT_BASE_URL                               default https://api.hubapi.com`;

function say(message: string): void {
	process.stderr.write(`${redactSecrets(message)}\n`);
}

async function main(): Promise<number> {
	let flags: { write?: boolean; sandbox?: boolean; help?: boolean };
	try {
		flags = readFlags(process.argv.slice(2), { write: { type: 'boolean' }, sandbox: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
	} catch (error) {
		say(`${(error as Error).message}\n\n${USAGE}`);
		return 2;
	}
	if (flags.help) {
		process.stdout.write(`${USAGE}\n`);
		return 0;
	}

	let targets: Targets;
	let close = async () => {};
	if (flags.sandbox) {
		const started = await startSandboxTargets();
		targets = started.targets;
		close = () => started.sandbox.close();
	} else {
		try {
			targets = targetsFromEnv();
		} catch (error) {
			say(`${(error as Error).message}\n\n${USAGE}`);
			return 2;
		}
	}
	const write = !!(flags.write || flags.sandbox);
	try {
		say(
			`verify:live against ${flags.sandbox ? 'the local sandbox' : 'your accounts'}: QuickBooks ${describeTarget(targets.quickbooks)}, HubSpot ${describeTarget(targets.hubspot)}; ` +
				(write ? 'read and write probes' : 'read-only probes (--write adds create, update and void)'),
		);
		const report = await verify({
			targets,
			write,
			onResult: (result) => say(`  ${result.api}: ${result.fact}: ${result.outcome}`),
		});
		process.stdout.write(`\n${report.text}\n`);
		const counts = tally(report.results);
		return counts.error > 0 || (flags.sandbox && counts['does not hold'] > 0) ? 1 : 0;
	} finally {
		await close();
	}
}

main().then(
	(code) => process.exit(code),
	(error) => {
		say(`verify:live failed: ${(error as Error)?.stack ?? String(error)}`);
		process.exit(1);
	},
);
