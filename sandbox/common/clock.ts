/**
 * A simulator's clock: the real (or injected) time, shifted by an offset and optionally frozen,
 * so tests can skew a server's clock against the client's, move it forward, or make writes tie.
 */
export interface ClockChange {
	/** Moves the clock forward (or back, when negative) by this many milliseconds. */
	advanceMs?: number;
	/** Sets the offset from the base time outright (applied after freezeAt, before advanceMs). */
	offsetMs?: number;
	/** Stops the clock at this instant (ISO); `null` lets it run again from there. */
	freezeAt?: string | null;
}

export class SimulatorClock {
	private offsetMs = 0;
	private frozenAt: number | undefined;

	constructor(private readonly base: () => Date) {}

	readonly now = (): Date => new Date(this.frozenAt ?? this.base().getTime() + this.offsetMs);

	/** Applies a change and returns the new time; throws on a value that is not a finite number or ISO time. */
	change(c: ClockChange): Date {
		const number = (v: unknown, name: string) => {
			if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${name} must be a finite number of milliseconds`);
			return v;
		};
		if (c.freezeAt === null && this.frozenAt !== undefined) {
			this.offsetMs = this.frozenAt - this.base().getTime();
			this.frozenAt = undefined;
		} else if (typeof c.freezeAt === 'string') {
			const ms = Date.parse(c.freezeAt);
			if (Number.isNaN(ms)) throw new Error(`freezeAt "${c.freezeAt}" is not an ISO time`);
			this.frozenAt = ms;
		}
		if (c.offsetMs !== undefined) this.offsetMs = number(c.offsetMs, 'offsetMs');
		if (c.advanceMs !== undefined) {
			this.offsetMs += number(c.advanceMs, 'advanceMs');
			if (this.frozenAt !== undefined) this.frozenAt += c.advanceMs;
		}
		return this.now();
	}
}
