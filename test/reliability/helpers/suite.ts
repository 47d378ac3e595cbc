/**
 * The bookkeeping the invariant suites share: the external network blocked, secret markers
 * installed (and scanned for), the core figures totalled, and everything recorded after the suite.
 * Call once at the top of a describe block.
 */
import { blockExternalNetwork } from '../../harness';
import { recordFigures, type Figures } from './figures';
import type { InvariantReport } from './invariant';
import { SecretScanner, installSecretMarkers } from './secrets';

export interface ReliabilitySuite {
	scanner: SecretScanner;
	totals: { lost: number; duplicated: number; wrong: number; uncaught: number };
	/** The suite's own measurements, recorded with the totals. */
	figures: Record<string, unknown>;
	/** Adds an invariant check's lost, duplicated and wrong counts to the totals. */
	addReport(report: InvariantReport): void;
}

export function reliabilitySuite(suite: string): ReliabilitySuite {
	let markers: ReturnType<typeof installSecretMarkers> | undefined;
	const state: ReliabilitySuite = {
		scanner: new SecretScanner(),
		totals: { lost: 0, duplicated: 0, wrong: 0, uncaught: 0 },
		figures: {},
		addReport(report) {
			state.totals.lost += report.lost;
			state.totals.duplicated += report.duplicated;
			state.totals.wrong += report.wrong;
		},
	};
	beforeAll(() => {
		blockExternalNetwork();
		markers = installSecretMarkers();
		state.scanner.addSecrets([markers.qbo, markers.hubspot]);
	});
	afterAll(() => {
		recordFigures(suite, { ...state.totals, secretLeaks: state.scanner.count, ...state.figures } as Figures);
		markers?.restore();
	});
	return state;
}
