/**
 * Time is injectable: delays, retry intervals, persist durations, TTLs, sessions and maintenance
 * windows all read a Clock. The virtual clock only moves when told to.
 */
export interface Clock {
  readonly kind: "real" | "virtual";
  now(): Date;
}

export const realClock: Clock = { kind: "real", now: () => new Date() };

export class VirtualClock implements Clock {
  readonly kind = "virtual";
  private current: number;

  constructor(start: Date = new Date()) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(milliseconds: number): Date {
    if (!Number.isFinite(milliseconds) || milliseconds < 0) {
      throw new RangeError(`the virtual clock only moves forward; got ${milliseconds} ms`);
    }
    this.current += milliseconds;
    return this.now();
  }

  set(to: Date): Date {
    if (to.getTime() < this.current) throw new RangeError("the virtual clock only moves forward");
    this.current = to.getTime();
    return this.now();
  }
}

export function createClock(kind: "real" | "virtual"): Clock {
  return kind === "real" ? realClock : new VirtualClock();
}
