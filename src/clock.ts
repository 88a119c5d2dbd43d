/** Time as a seam: domain code asks the clock, tests move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can set and advance, so expiry is tested without sleeping. */
export class ManualClock implements Clock {
  #now: Date;
  constructor(start: Date = new Date('2026-01-01T00:00:00.000Z')) {
    this.#now = new Date(start);
  }
  now(): Date {
    return new Date(this.#now);
  }
  advance(ms: number): void {
    this.#now = new Date(this.#now.getTime() + ms);
  }
  set(date: Date): void {
    this.#now = new Date(date);
  }
}

export const isoNow = (clock: Clock): string => clock.now().toISOString();
